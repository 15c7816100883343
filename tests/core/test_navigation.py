"""The menu offers each person exactly the pages they may open, and refusals are our own Thai pages."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from core import navigation
from tests.factories import UserFactory

# Everyone who signs in, by role and scope (the demo accounts of README.md, and a few edge cases).
PEOPLE = {
    "district officer": {"roles": ["district_officer"], "district": "7001"},
    "district head": {"roles": ["district_head"], "district": "7001"},
    "team member": {"roles": ["team_member"], "district": "7001"},
    "province officer": {"roles": ["province_officer"], "province": "70"},
    "province head": {"roles": ["province_head"], "province": "70"},
    "central officer": {"roles": ["central_officer"], "nation": True},
    "national auditor": {"roles": ["auditor"], "nation": True},
    "province auditor": {"roles": ["auditor"], "province": "70"},
    "administrator": {"roles": ["administrator"], "nation": True, "is_staff": True, "is_superuser": True},
    "officer with no role yet": {"roles": [], "district": "7001"},
    "district officer held at province level": {"roles": ["district_officer"], "province": "70"},
}

NAV_LINK = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)"')


def menu_links(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return NAV_LINK.findall(response.content.decode())


@pytest.mark.parametrize("person", PEOPLE)
def test_the_menu_offers_exactly_the_pages_this_person_may_open(person, geography, db):
    # given someone signed in
    user = UserFactory(**PEOPLE[person])
    client = Client()
    client.force_login(user)

    # when they read their menu
    offered = menu_links(client)

    # then every page it offers opens, and every page it leaves out is refused
    assert offered and len(offered) == len(set(offered))
    registered = {reverse(item.url_name) for item in navigation._ITEMS}
    assert set(offered) <= registered
    for url in sorted(registered):
        response = client.get(url)
        if url in offered:
            assert response.status_code == 200, (person, url)
        else:
            assert response.status_code in (302, 403), (person, url, response.status_code)
            if response.status_code == 403:
                assert b'data-testid="error-403"' in response.content, (person, url)


@pytest.mark.parametrize("person", ["province head", "team member", "district officer"])
def test_the_district_dashboard_is_neither_offered_nor_opened_but_to_district_heads(person, geography, db):
    client = Client()
    client.force_login(UserFactory(**PEOPLE[person]))

    assert reverse("workflows:dashboard") not in menu_links(client)
    response = client.get(reverse("workflows:dashboard"))

    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="error-403"' in html
    assert "ไม่มีสิทธิ์เปิดหน้านี้" in html
    assert "Roboto" not in html and "viewflow" not in html and "mdc-" not in html
    # our own look: base.html's stylesheets and the menu, so that the way on is one click
    assert "css/site" in html and 'class="nav-link' in html


def test_a_missing_page_is_our_thai_404(alice, client, settings):
    settings.DEBUG = False
    client.force_login(alice)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-404"' in html and "ไม่พบหน้าที่ต้องการ" in html
    assert "Roboto" not in html and "mdc-" not in html


def test_the_500_page_renders_without_a_request_or_the_database(rf):
    # No db fixture: pytest-django fails any query. server_error is Django's
    # handler500; it renders 500.html with no request and no context processors.
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-testid="error-500"' in html and "ระบบขัดข้อง" in html
    assert "css/site" in html
    assert "Roboto" not in html and "mdc-" not in html


def test_a_view_that_fails_answers_our_500_page(alice, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(alice)

    from unittest import mock

    with mock.patch("core.views.sections_for", side_effect=RuntimeError("boom")):
        response = client.get(reverse("home"))

    assert response.status_code == 500
    assert b'data-testid="error-500"' in response.content
