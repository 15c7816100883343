"""The user manual's screenshots (accounts/manual/): every page a manual shows, opened in
Chromium as the demo person whose manual it is, over the demo data, at 1280×800.

``make manual`` runs this test with ``MANUAL_SCREENS_DIR=accounts/static/accounts/manual``,
which is where the manual reads its pictures from; otherwise they go to a temporary
folder. Either way the test fails when a page a manual names cannot be opened (it
answers an error, a step on it fails) or a screenshot a manual names was not taken,
so a page removed or renamed fails the suite, not the manual. Every screenshot is
written through ``accounts.manual.optimise_png`` (a palette, no dithering), so the
committed pictures stay small.

One browser context per person, the pages in sequence: the whole manual in well under
a minute once the demo data is loaded.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts import demo as demo_registrations
from accounts import manual
from accounts import services as registrations
from accounts.models import Position, Registration
from cases.models import Complaint, Status
from citizens.news import services as news
from citizens.tracking import services as tracking
from core.demo import DEMO_ACCOUNTS
from core.models import District, Province, Subdistrict, User
from core.roles import ScopeLevel
from core.thai import format_be_input, make_national_id
from tests.browser.conftest import TIMEOUT_MS, assert_no_csp_violations, watch_csp
from workflows.engine import open_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1280, "height": 800}
TALLEST = 1400  # a page shown whole (the receipt) is cut here
PASSWORDS = {account.national_id: account.password for account in DEMO_ACCOUNTS}
OFFICER, HEAD, TEAM, NEW_OFFICER = "1700100000012", "1700100000021", "3700100000035", "1700100000080"
PROVINCE_OFFICER, PROVINCE_HEAD = "1700000000037", "1700000000045"
CENTRAL, AUDITOR, ADMIN = "1100000000059", "1100000000067", "1100000000075"


@pytest.fixture
def folder(tmp_path) -> Path:
    chosen = os.environ.get("MANUAL_SCREENS_DIR")
    path = Path(chosen).resolve() if chosen else tmp_path / "screens"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def demo(geography, settings, tmp_path):
    """The demo of ``make run``, and what its pages need to show more than empty lists: a
    form waiting at the province's and the central certifiers too, a draft news post, a
    complainant's request to reopen."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # the demo loaders refuse to run without it (known passwords)
    call_command("load_demo", verbosity=0)
    call_command("load_demo_cases", verbosity=0)
    call_command("load_demo_public", verbosity=0)
    call_command("load_demo_registrations", verbosity=0)
    settings.DEBUG = False
    people = {national_id: User.objects.get(national_id=national_id) for national_id in PASSWORDS}
    mueang = District.objects.get(code="7001")
    cases = {status: Complaint.objects.filter(district=mueang, status=status).order_by("pk") for status in Status}
    found = {
        "received": cases[Status.RECEIVED].first(),
        "assignment_pending": cases[Status.ASSIGNMENT_PENDING].first(),
        "investigating": cases[Status.INVESTIGATING].first(),
        "resolution_pending": cases[Status.RESOLUTION_PENDING].first(),
        "escalated": cases[Status.ESCALATED].first(),
        "closed": cases[Status.CLOSED].first(),
        "closed_again": cases[Status.CLOSED].last(),
    }
    tracking.request_reopen(case=found["closed_again"], reason="ผู้ถูกร้องกลับมาปลูกเพิงพักที่เดิมอีกแล้ว")
    found["draft"] = news.news_create(
        actor=people[OFFICER],
        data=news.NewsData(
            title="ประชุมชี้แจงการแก้ไขปัญหาน้ำประปาหมู่บ้าน", leader="ปลัดอำเภอเมืองราชบุรี",
            participants="คณะกรรมการประปาหมู่บ้าน ผู้ใหญ่บ้าน และชาวบ้านประมาณ 30 คน",
            happened_on=timezone.localdate() - dt.timedelta(days=1), happened_at=dt.time(13, 30),
            place="ศาลาประชาคมหมู่ 5 ตำบลคูบัว", subdistrict=Subdistrict.objects.get(code="700120"),
            body="ศูนย์ดำรงธรรมอำเภอเมืองราชบุรีชี้แจงแผนซ่อมท่อประปาหมู่บ้าน ซึ่งจะแล้วเสร็จภายใน 15 วัน",
        ),
        uploads=[_photo()],
    )  # fmt: skip
    found["registration"] = Registration.objects.get(national_id=demo_registrations.WAITING_ID)
    _waiting_registration(
        people[PROVINCE_OFFICER], "170000000009", "นาย", "ปกรณ์", "สุจริต", Position.LEGAL_OFFICER,
        ScopeLevel.PROVINCE, Province.objects.get(code="70"),
    )  # fmt: skip
    _waiting_registration(
        people[CENTRAL], "110000000009", "นาง", "วิไลวรรณ", "ใฝ่รู้", Position.LEGAL_OFFICER, ScopeLevel.NATION, None
    )
    found["task"] = open_tasks(found["received"]).get()
    return {"people": people, **found}


def _photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 900), (150, 200, 240))
    image.paste((90, 160, 80), (0, 560, 1200, 900))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("IMG_0101.jpg", buffer.getvalue(), content_type="image/jpeg")


def _waiting_registration(actor, first_twelve, title, first_name, last_name, position, level, province) -> Registration:
    """A form filled by ``actor`` for a province's or the central office's account, sent to its certifier."""
    registration = Registration(
        national_id=make_national_id(first_twelve), title=title, first_name=first_name, last_name=last_name,
        position=position, level="ปฏิบัติการ", work_unit="ศูนย์ดำรงธรรม", section="ฝ่ายปกครอง",
        scope_level=level, province=province, office_phone="0 3233 7006", assigned_on=timezone.localdate(),
    )  # fmt: skip
    return registrations.submit(actor=actor, registration=registration)


class Camera:
    """Opens a browser window per person and photographs pages into ``folder``; a page
    that fails is noted and the next one is taken all the same."""

    def __init__(self, browser, base_url: str, folder: Path):
        self.browser, self.base_url, self.folder = browser, base_url, folder
        self.taken: list[str] = []
        self.failures: dict[str, str] = {}
        self.violations: list[str] = []
        self.contexts = []

    def window(self, national_id: str | None = None):
        # Reduced motion: Bootstrap then scrolls at once, not smoothly into a half-scrolled picture.
        context = self.browser.new_context(
            base_url=self.base_url, locale="th-TH", viewport=VIEWPORT, reduced_motion="reduce"
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        watch_csp(page, self.violations)
        if national_id:
            page.goto("/accounts/login/")
            page.get_by_label("เลขประจำตัวประชาชน").fill(national_id)
            page.get_by_label("รหัสผ่าน").fill(PASSWORDS[national_id])
            page.get_by_role("button", name="เข้าสู่ระบบ").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    def shot(self, page, name: str, path: str | None = None, *, element: str | None = None, tall=False, before=None):
        """Open ``path`` (if given), do ``before(page)``, and photograph the window (or
        ``element``, or the page down to ``TALLEST``) as ``name``."""
        try:
            if path is not None:
                response = page.goto(path)
                assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
            if before is not None:
                before(page)
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready.then(() => true)")  # Sarabun drawn, not the fallback
            if element is not None:
                data = page.locator(element).first.screenshot(animations="disabled")
            elif tall:
                height = min(page.evaluate("document.documentElement.scrollHeight"), TALLEST)
                clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
                data = page.screenshot(full_page=True, clip=clip, animations="disabled")
            else:
                data = page.screenshot(animations="disabled")
            (self.folder / f"{name}.png").write_bytes(manual.optimise_png(data))
            self.taken.append(name)
        except Exception as error:  # noqa: BLE001  (note it, take the next page: the report names every failure)
            self.failures[name] = f"{page.url}: {type(error).__name__}: {str(error).splitlines()[0]}"

    def close(self):
        for context in self.contexts:
            context.close()


def _scroll_to(text: str):
    """Bring the form's part headed ``text`` to the top of the window, the focus off the last field."""

    def scroll(page):
        part = page.locator("fieldset", has=page.locator("legend", has_text=text)).first
        part.evaluate(
            "node => { document.activeElement.blur(); window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 16); }"
        )

    return scroll


def _fill_intake(page):
    page.get_by_label("คำนำหน้านาม").first.fill("นาง")
    page.get_by_label(re.compile("^ชื่อตัว")).first.fill("สมใจ")
    page.get_by_label(re.compile("^ชื่อสกุล")).first.fill("ทองดี")
    page.get_by_label("โทรศัพท์").first.fill("081 234 5678")
    page.get_by_label("ที่อยู่").first.fill("12 หมู่ 3 ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี")
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")


def _fill_subject(page):
    page.locator("#id_main_category").select_option(label="ที่ดิน")
    page.locator("#id_category").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    page.locator("#id_subject").fill("บุกรุกที่สาธารณะริมคลองหนองหว้า")
    page.locator("#id_description").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง ทำให้น้ำระบายไม่ได้ในฤดูฝน")
    page.locator("#id_incident_subdistrict").select_option(label="หน้าเมือง")
    _scroll_to("เรื่องที่ร้องเรียน")(page)


def _claim_first(page):
    page.get_by_test_id("take").first.click()
    expect(page.get_by_text(re.compile("^รับงานแล้ว"))).to_be_visible()  # the claim is in before the next page


def _export_list(page):
    page.get_by_test_id("list-csv").click()
    page.wait_for_url(re.compile(r"/exports/\d+/"))


def test_the_manual_photographs_every_page_it_shows(browser, live_server, demo, folder, request):
    cache.clear()  # the rate limits of the public and activation pages start from nothing
    camera = Camera(browser, live_server.url, folder)
    d = demo
    try:
        # Anyone: the sign-in page, activation, a complainant's tracking page.
        page = camera.window()
        camera.shot(page, "sign_in", "/accounts/login/")
        camera.shot(page, "activate", "/accounts/activate/")
        camera.shot(page, "public_tracking", f"/follow/{d['closed'].tracking_code}/", tall=True)

        # A new officer at his first sign-in.
        page = camera.window(NEW_OFFICER)
        camera.shot(page, "password_change")

        # The district officer.
        page = camera.window(OFFICER)
        received = d["received"]
        camera.shot(page, "officer_home", "/")
        camera.shot(page, "inbox_queue", "/inbox/queue/")
        camera.shot(page, "inbox_mine", "/inbox/queue/", before=lambda p: (_claim_first(p), p.goto("/inbox/")))
        camera.shot(page, "inbox_done", "/inbox/done/")
        camera.shot(page, "case_page", f"/cases/{received.pk}/")
        camera.shot(page, "case_propose_assignment", f"/cases/{received.pk}/actions/propose_assignment/")
        camera.shot(page, "case_forward", f"/cases/{received.pk}/actions/forward/")
        camera.shot(page, "intake_form", "/cases/new/", before=_fill_intake)
        camera.shot(page, "intake_subject", before=_fill_subject)
        camera.shot(page, "receipt", f"/cases/{received.pk}/receipt/", tall=True)
        camera.shot(page, "case_list", "/cases/")
        camera.shot(page, "case_search", "/cases/?q=ที่ดิน")
        camera.shot(page, "exports", "/cases/?status=closed", before=lambda p: (_export_list(p), p.goto("/exports/")))
        camera.shot(page, "profile", "/accounts/profile/")
        camera.shot(page, "notifications", "/inbox/notifications/")
        camera.shot(page, "news_list", "/news/manage/")
        camera.shot(page, "news_form", "/news/manage/new/")
        camera.shot(page, "registrations_officer", "/accounts/registrations/")
        camera.shot(page, "registration_form", "/accounts/registrations/new/")

        # The district head.
        page = camera.window(HEAD)
        camera.shot(page, "head_home", "/")
        camera.shot(page, "dashboard", "/inbox/dashboard/")
        camera.shot(page, "head_approve_assignment", f"/cases/{d['assignment_pending'].pk}/")
        camera.shot(page, "head_approve_closure", f"/cases/{d['resolution_pending'].pk}/actions/approve_closure/")
        camera.shot(page, "head_escalate", f"/cases/{d['investigating'].pk}/actions/escalate/")
        camera.shot(page, "reassign", f"/inbox/tasks/{d['task'].pk}/reassign/")
        camera.shot(page, "reopen_requests", "/follow/requests/")
        camera.shot(page, "share", f"/cases/{d['investigating'].pk}/shares/")
        camera.shot(page, "news_publish", f"/news/manage/{d['draft'].pk}/")
        camera.shot(page, "registrations_waiting", "/accounts/registrations/")
        camera.shot(page, "registration_certify", f"/accounts/registrations/{d['registration'].pk}/")

        # A member of a sub-district team.
        page = camera.window(TEAM)
        camera.shot(page, "team_home", "/")
        camera.shot(page, "team_queue", "/inbox/queue/")
        camera.shot(page, "team_case", f"/cases/{d['investigating'].pk}/")
        camera.shot(page, "report_progress", f"/cases/{d['investigating'].pk}/actions/report_progress/")
        camera.shot(page, "propose_resolution", f"/cases/{d['investigating'].pk}/actions/propose_resolution/")

        # The province: its officer, then its head.
        page = camera.window(PROVINCE_OFFICER)
        camera.shot(page, "province_home", "/")
        camera.shot(page, "province_queue", "/inbox/queue/")
        camera.shot(page, "province_case", f"/cases/{d['escalated'].pk}/")
        camera.shot(page, "return_to_district", f"/cases/{d['escalated'].pk}/actions/return_to_district/")
        camera.shot(page, "province_case_list", "/cases/")
        page = camera.window(PROVINCE_HEAD)
        camera.shot(page, "province_head_home", "/")
        camera.shot(page, "registrations_province", "/accounts/registrations/")
        camera.shot(page, "oversight_province", "/accounts/oversight/")

        # The central officer.
        page = camera.window(CENTRAL)
        camera.shot(page, "central_home", "/")
        camera.shot(page, "central_case_list", "/cases/")
        camera.shot(page, "central_news", "/news/manage/")
        camera.shot(page, "registration_form_central", "/accounts/registrations/new/")

        # The auditor.
        page = camera.window(AUDITOR)
        closed = d["closed"]
        camera.shot(page, "audit_log", "/audit/")
        camera.shot(page, "audit_case", f"/audit/cases/{closed.pk}/")
        moment = f"date={format_be_input(timezone.localdate())}&time=23:59"
        camera.shot(
            page, "audit_as_of", f"/audit/cases/{closed.pk}/?{moment}", element="section:has([data-testid=as-of])"
        )

        # The administrator.
        page = camera.window(ADMIN)
        camera.shot(page, "admin_index", "/admin/")
        camera.shot(page, "admin_users", "/admin/core/user/")
        camera.shot(page, "admin_user", f"/admin/core/user/{d['people'][OFFICER].pk}/change/")
        camera.shot(page, "admin_categories", "/admin/cases/category/")
        camera.shot(page, "admin_teams", "/admin/cases/team/")
        camera.shot(page, "admin_outbox", "/admin/core/outboxmessage/")
        camera.shot(page, "registrations_admin", "/accounts/registrations/")
        camera.shot(page, "oversight", "/accounts/oversight/")
    finally:
        camera.close()

    named = manual.all_screens()
    assert not camera.failures, "pages the manual shows that could not be photographed:\n" + "\n".join(
        f"  {name}: {failure}" for name, failure in camera.failures.items()
    )
    missing = [name for name in named if name not in camera.taken]
    assert not missing, f"screenshots the manual names that this test does not take: {missing}"
    unnamed = [name for name in camera.taken if name not in named]
    assert not unnamed, f"screenshots this test takes that no manual shows: {unnamed}"
    assert_no_csp_violations(camera.violations, request)
