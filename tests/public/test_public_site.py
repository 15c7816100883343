"""The whole citizens' site, crawled as a visitor would, over the demo data: no page
and no feed names a person (an officer, a complainant, a respondent) or shows their
national ID, phone or e-mail, or an officer's note; and no page sets a cookie before
the visitor chooses something (only the session's own, when a form needs one).

The crawl starts at the site's home and at the tracking page of every demo case, and
follows every link that stays on the citizens' site; the figures of areas outside the
demo's province are skipped (928 district pages say the same thing)."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from cases.models import CaseEvent, Complainant, Complaint, Respondent
from core.models import User
from core.thai import format_national_id

pytestmark = pytest.mark.django_db

PUBLIC = ("/public/", "/follow/", "/complain/", "/news/", "/figures/")
DEMO_AREAS = ("70", "7001", "7005")
MAX_PAGES = 400


@pytest.fixture
def demo(geography, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # the demo loaders refuse to run without it (known passwords)
    call_command("load_demo", verbosity=0)
    call_command("load_demo_cases", verbosity=0)
    call_command("load_demo_public", verbosity=0)
    settings.DEBUG = False


def personal_facts() -> set[str]:
    """What would identify or expose a person of the demo, as text a page could hold."""
    facts: set[str] = set()
    for user in User.objects.all():
        facts |= {user.get_full_name(), f"{user.first_name} {user.last_name}", user.national_id}
        facts.add(format_national_id(user.national_id))
        facts |= {user.office_phone, user.mobile_phone, user.email}
    for person in Complainant.objects.all():
        facts |= {person.full_name, f"{person.first_name} {person.last_name}", person.national_id}
        facts |= {person.phone, person.email, person.address}
    for party in Respondent.objects.all():
        facts |= {party.name, party.national_id, party.phone}
    facts |= {event.note for event in CaseEvent.objects.exclude(note="")}
    return {fact for fact in facts if fact and len(fact.strip()) >= 4}


def followed(url: str) -> bool:
    path = urlsplit(url).path
    if not path.startswith(PUBLIC) or urlsplit(url).netloc not in ("", "testserver"):
        return False
    area = re.match(r"/figures/(?:province|district)/(\d+)/", path)
    return not area or area[1] in DEMO_AREAS


def crawl(client) -> dict[str, object]:
    start = [reverse("public:home")]
    start += [f"/follow/{code}/" for code in Complaint.objects.values_list("tracking_code", flat=True)]
    seen, queue, pages = set(start), deque(start), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'(?:href|src)="([^"#][^"]*)"', response.content.decode()):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            if followed(link) and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def test_no_public_page_or_feed_shows_a_person(client, demo):
    facts = personal_facts()
    pages = crawl(client)

    assert len(pages) > 30, sorted(pages)
    assert all(r.status_code in (200, 302) for r in pages.values()), {
        u: r.status_code for u, r in pages.items() if r.status_code not in (200, 302)
    }
    for url, response in pages.items():
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(("text/", "application/")):
            continue
        body = response.content.decode(errors="ignore")
        shown = sorted(fact for fact in facts if fact in body)
        assert not shown, f"{url} shows {shown}"


def test_the_demo_of_the_public_site_is_there_once(demo):
    from citizens.models import CenterContact, NewsPost

    assert NewsPost.objects.filter(state=NewsPost.State.PUBLISHED).count() == 2
    assert CenterContact.objects.count() == 3
    assert Complainant.objects.exclude(email="").exists()
    call_command("load_demo_public", "--force", verbosity=0)
    assert NewsPost.objects.count() == 2 and CenterContact.objects.count() == 3


def test_no_public_page_sets_a_cookie_but_the_sessions(client, demo):
    for url, response in crawl(client).items():
        assert set(response.cookies) <= {settings.SESSION_COOKIE_NAME}, f"{url} sets {set(response.cookies)}"
