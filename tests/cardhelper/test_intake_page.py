"""The intake page offers the ID-card button on every complainant row, and only the intake
page may connect to the card helper (its Content-Security-Policy names it, no other page's)."""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.settings.base import _card_helper_url
from tests.core.test_csp import assert_scripts_carry_the_nonce, policy

pytestmark = pytest.mark.django_db


def config(response) -> dict:
    found = re.search(r'<script id="idcard-config" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(found.group(1))


def test_every_complainant_row_has_the_button_and_the_page_may_reach_the_helper(client, alice, settings):
    settings.CARD_HELPER_URL = "http://127.0.0.1:8765"
    client.force_login(alice)

    response = client.get(reverse("cases:intake"))

    html = response.content.decode()
    assert html.count("data-idcard-read") == 2  # the first row, and the row "เพิ่มผู้ร้อง" adds
    assert "อ่านบัตรประชาชน" in html
    assert config(response)["url"] == "http://127.0.0.1:8765"
    assert config(response)["messages"]["no_card"] == "ไม่พบบัตร กรุณาเสียบบัตรประชาชนแล้วกดอ่านอีกครั้ง"
    assert policy(response)["connect-src"] == ["'self'", "http://127.0.0.1:8765"]
    assert_scripts_carry_the_nonce(response)


def test_a_page_that_fails_validation_keeps_the_button(client, alice):
    client.force_login(alice)

    response = client.post(reverse("cases:intake"), {"complainant-TOTAL_FORMS": "1", "complainant-INITIAL_FORMS": "0"})

    assert response.status_code == 400
    assert "data-idcard-read" in response.content.decode()
    assert "http://127.0.0.1:8765" in policy(response)["connect-src"]


def test_no_other_page_may_reach_the_helper(client, alice):
    client.force_login(alice)

    response = client.get(reverse("cases:list"))

    assert policy(response)["connect-src"] == ["'self'"]


def test_without_a_helper_address_there_is_no_button(client, alice, settings):
    settings.CARD_HELPER_URL = ""
    client.force_login(alice)

    response = client.get(reverse("cases:intake"))

    assert "data-idcard-read" not in response.content.decode()
    assert policy(response)["connect-src"] == ["'self'"]
    assert config(response)["url"] == ""


@pytest.mark.parametrize(
    "value, expected",
    [
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.0.0.1:9000/", "http://127.0.0.1:9000"),
        ("http://localhost:8765", "http://localhost:8765"),
        ("", ""),
    ],
)
def test_the_helper_address_setting(value, expected):
    assert _card_helper_url(value) == expected


@pytest.mark.parametrize(
    "value",
    ["http://192.168.1.5:8765", "https://cardhelper.example.go.th", "http://127.0.0.1:8765/card", "ftp://127.0.0.1"],
)
def test_the_helper_address_must_be_this_pc(value):
    with pytest.raises(ImproperlyConfigured, match="CARD_HELPER_URL"):
        _card_helper_url(value)
