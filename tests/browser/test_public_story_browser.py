"""The citizen's whole story, as the issue tells it: Somchai files online with a photo,
gets his tracking code by e-mail (a real SMTP server on this machine), follows the case
through the officers' steps, and rates the handling once it is closed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from cases import services
from cases.codes import format_tracking_code
from cases.models import Complaint
from citizens.models import Satisfaction
from core import outbox
from tests.browser.conftest import field
from tests.browser.test_public_online_browser import choose_the_place, describe_the_road, photo
from tests.public.mail import local_smtp, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp_server(settings, tmp_path, geography):
    settings.ONLINE_POW_BITS = 10  # the page's own script solves it at once
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield from local_smtp(settings)
    cache.clear()


def mail_to(smtp_server, address: str) -> list:
    outbox.relay()  # what a worker does with the outbox
    return [m for m in smtp_server.messages if address in str(m["To"])]


def test_somchai_files_online_gets_his_code_by_mail_follows_it_and_rates_it(page, smtp_server, alice, harry, tom, team):
    # He files from the public form, with a photo and his e-mail.
    page.goto("/complain/")
    describe_the_road(page)
    choose_the_place(page)
    page.locator("#id_files").set_input_files(files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                                       "buffer": photo()}])  # fmt: skip
    field(page, "ชื่อตัว").fill("สมชาย")
    field(page, "ชื่อสกุล").fill("ใจดี")
    field(page, "อีเมล").fill("somchai@example.org")
    page.get_by_label(re.compile("^ข้าพเจ้าได้อ่านแล้ว")).check()
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    case = Complaint.objects.get()
    assert (case.channel, case.district_id, case.attachments.count()) == ("online", "7001", 1)

    # The code reaches his mailbox, with the link to follow it.
    [received] = mail_to(smtp_server, "somchai@example.org")
    code = format_tracking_code(case.tracking_code)
    assert code in text_of(received) and f"/follow/{case.tracking_code}/" in text_of(received)
    link = re.search(r"https?://\S+/follow/\S+/", text_of(received))[0]

    # The district works the case; he follows each step from the link in his mail.
    page.goto(urlsplit(link).path)  # the link names the site's public address (PUBLIC_SITE_URL)
    expect(page.get_by_test_id("tracking-step")).to_have_count(1)
    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=case)
    services.case_accept(actor=tom, case=case)
    page.reload()
    expect(page.get_by_test_id("tracking-status")).to_have_text("อยู่ระหว่างตรวจสอบและแก้ไขปัญหา")
    assert len(mail_to(smtp_server, "somchai@example.org")) == 2  # and he was told the team went out

    services.case_propose_resolution(actor=tom, case=case, outcome="resolved", summary="รื้อถอนเพิงพักแล้ว")
    services.case_approve_closure(actor=harry, case=case)
    page.reload()
    expect(page.get_by_test_id("tracking-status")).to_have_text("ยุติเรื่องแล้ว: แก้ไขปัญหาเรียบร้อยแล้ว")
    assert len(mail_to(smtp_server, "somchai@example.org")) == 3

    # He rates the handling, once.
    page.get_by_test_id("rate-button").click()
    page.get_by_label("5 — พอใจมากที่สุด").check()
    page.get_by_role("button", name="ส่งความเห็น").click()
    expect(page.get_by_test_id("rated")).to_be_visible()
    expect(page.get_by_test_id("rate-button")).to_have_count(0)
    assert Satisfaction.objects.get(complaint=case).rating == 5
