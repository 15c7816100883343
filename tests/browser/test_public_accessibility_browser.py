"""Every page of the citizens' site in a real browser, at a desktop's width and a phone's:
axe-core (WCAG 2.1 A and AA) finds nothing serious or critical, nothing scrolls sideways,
and no cookie is set while the visitor only reads (the language link and a form aside)."""

import pytest

from cases import services as case_services
from citizens.news import services as news_services
from citizens.tracking import limits
from tests.browser import axe
from tests.case_fixtures import intake_data
from tests.public.test_news import news_data, photo_upload
from tests.public.tracking_story import close, investigate, track_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(alice, harry, tom, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    open_case = investigate(
        case_services.case_intake(actor=alice, district=alice.district, data=intake_data())[0],
        alice=alice, harry=harry, tom=tom, team=team,
    )  # fmt: skip
    closed = close(
        investigate(
            case_services.case_intake(actor=alice, district=alice.district, data=intake_data())[0],
            alice=alice, harry=harry, tom=tom, team=team,
        ),
        harry=harry, tom=tom,
    )  # fmt: skip
    post = news_services.news_create(actor=alice, data=news_data(), uploads=[photo_upload()])
    news_services.news_take_step(actor=harry, post=post, step="publish")
    return {
        "home": "/public/",
        "privacy": "/public/privacy/",
        "tracking form": "/follow/",
        "tracking, open case": track_url(open_case),
        "tracking, closed case": track_url(closed),
        "rating": f"{track_url(closed)}rate/",
        "not solved": f"{track_url(closed)}not-solved/",
        "wrong code": "/follow/ABCDEFGHJKMNPQRSTVWXYZ0123/",
        "online form": "/complain/",
        "news": "/news/",
        "news of a province": "/news/province/70/",
        "a news post": f"/news/{post.pk}/",
        "figures": "/figures/",
        "figures of a province": "/figures/province/70/",
        "figures of a district": "/figures/district/7001/",
    }


READ_ONLY = {"home", "privacy", "tracking form", "tracking, open case", "tracking, closed case", "wrong code", "news",
             "news of a province", "a news post", "figures", "figures of a province", "figures of a district"}  # fmt: skip


@pytest.mark.parametrize("width", [1366, 390])
def test_every_public_page_is_accessible_and_fits(browser, live_server, site, width, monkeypatch):
    monkeypatch.setattr(limits, "MISSES_PER_ADDRESS", 1000)  # the crawl's wrong code is no guess
    context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    try:
        for name, path in site.items():
            context.clear_cookies()
            page.goto(path)
            page.wait_for_load_state("networkidle")
            problems = axe.violations(page)
            if page.evaluate("document.documentElement.scrollWidth") > page.evaluate("window.innerWidth"):
                problems.append("scrolls sideways")
            if name in READ_ONLY and (cookies := [c["name"] for c in context.cookies()]):
                problems.append(f"sets cookies {cookies}")
            if problems:
                found[f"{name} ({path})"] = problems
    finally:
        context.close()
    assert not found, found
