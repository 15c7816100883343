"""Every HTML page carries a Content-Security-Policy; scripts run only with the request's nonce."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from cases.services import case_intake
from tests.case_fixtures import intake_data

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SCRIPT_TAG = re.compile(r"<script\b[^>]*>")


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_scripts_carry_the_nonce(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    nonces = [value for value in directives["script-src"] if value.startswith("'nonce-")]
    html = response.content.decode()
    for tag in SCRIPT_TAG.findall(html):
        if "application/json" in tag:
            continue  # json_script data, never executed
        src = re.search(r'src="([^"]*)"', tag)
        if src:  # a file: allowed by 'self' when it is ours
            assert src.group(1).startswith("/") and not src.group(1).startswith("//"), tag
        else:  # inline: runs only with this response's nonce
            assert len(nonces) == 1, directives["script-src"]
            nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
            assert f'nonce="{nonce}"' in tag, tag
    return directives


def test_every_inline_script_in_our_templates_asks_for_the_nonce():
    """A script of our own files needs no nonce ('self' allows it): the public pages kept
    whole in the cache (public/figures) carry none, since a copy's nonce is stale. An
    inline script runs only with this response's nonce."""
    missing = [
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for tag in SCRIPT_TAG.findall(path.read_text())
        if 'nonce="{{ request.csp_nonce }}"' not in tag
        and not re.search(r'src="\{% static \'[^\']+\' %\}"', tag)
        and "json_script" not in tag
    ]
    assert missing == []


def test_the_sign_in_page_has_the_policy(client):
    response = client.get(reverse("login"))

    directives = assert_scripts_carry_the_nonce(response)
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    assert "'unsafe-inline'" not in directives["style-src"]


@pytest.mark.django_db
def test_intake_and_the_case_page_with_its_map_run_their_scripts_by_nonce(client, alice):
    client.force_login(alice)

    intake = client.get(reverse("cases:intake"))
    assert intake.status_code == 200
    assert_scripts_carry_the_nonce(intake)
    assert len(SCRIPT_TAG.findall(intake.content.decode())) >= 3

    case, _ = case_intake(
        actor=alice,
        district=alice.district,
        data=intake_data(latitude=Decimal("13.536530"), longitude=Decimal("99.817100")),
    )
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert "leaflet" in page.content.decode()
    assert_scripts_carry_the_nonce(page)


def test_each_response_gets_a_fresh_nonce(client):
    first = policy(client.get(reverse("login")))["script-src"]
    second = policy(client.get(reverse("login")))["script-src"]
    assert first != second


@pytest.mark.django_db
def test_the_admin_has_the_policy_and_its_change_list_style_is_allowed_by_hash(client, ada):
    client.force_login(ada)

    response = client.get("/admin/audit/auditevent/")

    assert response.status_code == 200
    directives = assert_scripts_carry_the_nonce(response)
    style = re.search(r"<style>(.*?)</style>", response.content.decode(), flags=re.S)
    if style:  # the change list without actions adds one inline <style>
        import base64
        import hashlib

        digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["style-src-elem"]


def test_a_map_tile_server_is_allowed_for_images():
    from core.settings.base import _origin

    assert _origin("https://tiles.example.go.th/{z}/{x}/{y}.png") == ["https://tiles.example.go.th"]
    assert _origin("") == []
