"""Complaining online (/complain/): Somchai files from his phone, Malee without script
confirms by e-mail, and the bots are turned away; every complaint lands in the
district officer's queue as channel "online" through the intake service."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import uuid

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from audit.models import AuditEvent
from cases.codes import format_tracking_code
from cases.models import Attachment, Category, Complaint
from cases.services import case_intake_online
from citizens.models import OnlineSubmission, OnlineSubmissionFile
from citizens.online import pow, services
from core.thai import format_national_id, make_national_id
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db

FORM = reverse("public:complain")
SOMCHAI = "203.0.113.7"  # his phone's address, as the site sees it
VALID_ID = make_national_id("110170023070")
BAD_ID = VALID_ID[:12] + str((int(VALID_ID[12]) + 1) % 10)  # the check digit off by one


@pytest.fixture(autouse=True)
def quick_proof_and_fresh_limits(settings, tmp_path):
    settings.ONLINE_POW_BITS = 6  # a few dozen hashes: the tests solve it in Python
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def solved(challenge: str) -> str:
    bits = pow.bits_asked(challenge)
    return next(str(n) for n in range(1_000_000) if pow.solves(challenge, str(n), bits))


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (13.0, 32.0, 10.5)}
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def the_form(**overrides) -> dict:
    land = Category.objects.get(name_th="บุกรุกที่ดินสาธารณประโยชน์")
    values = {
        "submission_key": str(uuid.uuid4()),
        "main_category": land.parent_id,
        "category": land.pk,
        "subject": "ถนนชำรุดเป็นหลุมลึกหน้าโรงเรียน",
        "description": "หลุมลึกประมาณครึ่งเมตร รถจักรยานยนต์ล้มทุกวัน ขอให้ซ่อมโดยเร็ว",
        "incident_district_province": "70",
        "incident_district": "7001",
        "incident_subdistrict": "700101",
        "incident_address": "หน้าโรงเรียนบ้านหน้าเมือง",
        "title": "นาย",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "phone": "0812345678",
        "email": "somchai@example.com",
        "consent": "on",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def file_online(client, *, proof=True, address=SOMCHAI, files=(), **overrides):
    """Open the form and send it as the page's script would (with the proof of work unless ``proof`` is False)."""
    page = client.get(FORM, REMOTE_ADDR=address)
    challenge = re.search(r'name="proof_challenge" value="([^"]+)"', page.content.decode()).group(1)
    data = the_form(proof_challenge=challenge, **overrides)  # the page's hidden field, script or not
    if proof:
        data["proof_counter"] = solved(challenge)
    if files:
        data["files"] = list(files)
    return client.post(FORM, data, REMOTE_ADDR=address)


def the_case() -> Complaint:
    return Complaint.objects.select_related("district").get()


# --- Filing with the proof of work ----------------------------------------------------------------


def test_somchai_files_with_a_photo_and_gets_his_tracking_code(
    client, signed_in, alice, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = file_online(client, files=[SimpleUploadedFile("IMG_0001.jpg", photo_with_gps(), "image/jpeg")])

    assert response.status_code == 302
    case = the_case()
    receipt = client.get(response["Location"])
    page = receipt.content.decode()
    assert receipt.status_code == 200
    assert format_tracking_code(case.tracking_code) in page
    assert reverse("public:track_case", args=[case.tracking_code]) in page
    assert "no-store" in receipt["Cache-Control"] or "max-age=0" in receipt["Cache-Control"]
    # By e-mail too: the complainant's "received" notice (public.notices), not a copy of ours.
    assert [m.to for m in mailoutbox if format_tracking_code(case.tracking_code) in m.body] == [["somchai@example.com"]]

    # The case sits in Mueang Ratchaburi's queue, channel online, recorded by nobody.
    assert case.district_id == "7001" and case.channel == "online" and case.status == "received"
    assert case.recorded_by is None and case.received_on == timezone.localdate()
    assert case.incident_subdistrict_id == "700101"
    person = case.complainants.get()
    assert (person.first_name, person.last_name, person.email) == ("สมชาย", "ใจดี", "somchai@example.com")
    queue = signed_in(alice).get(reverse("workflows:queue")).content.decode()
    assert f'data-case="{case.number}"' in queue

    # The photo, re-encoded: a JPEG with no trace of the camera or the place.
    attachment = case.attachments.get()
    assert attachment.kind == Attachment.Kind.PHOTO and attachment.uploaded_by is None
    assert attachment.original_name == "IMG_0001.jpg"
    stored = attachment.file.read()
    assert stored.startswith(b"\xff\xd8") and b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()

    # The timeline and the audit row: from the website, from his address, no officer.
    event = case.events.get()
    assert event.action == "intake" and event.actor is None and event.actor_name == "ผู้ร้องยื่นทางเว็บไซต์"
    row = AuditEvent.objects.get(complaint_id=case.pk, action="intake")
    assert row.actor_id is None and row.actor_name == ""
    assert row.ip == SOMCHAI and row.detail == "ผู้ร้องยื่นทางเว็บไซต์"
    assert AuditEvent.objects.filter(complaint_id=case.pk, kind="attachment", actor_id=None).count() == 1

    # What the site kept of its own: the link to the case, nothing personal, no file.
    submission = OnlineSubmission.objects.get()
    assert submission.complaint == case and submission.confirmed_at is not None
    assert submission.email == "" and set(submission.data) == {"submission_key"}
    assert not OnlineSubmissionFile.objects.exists()
    assert [p for p in (tmp_path / "media" / "online").rglob("*") if p.is_file()] == []


def test_the_officers_see_the_case_filed_by_the_website(client, signed_in, alice):
    file_online(client)
    case = the_case()

    page = signed_in(alice).get(case.get_absolute_url()).content.decode()

    assert "ผู้ร้องยื่นทางเว็บไซต์" in page
    assert "เว็บไซต์" in page  # the channel


def test_an_anonymous_complaint_keeps_no_name_but_the_email(client):
    file_online(client, is_anonymous="on", national_id=VALID_ID)

    person = the_case().complainants.get()
    assert person.is_anonymous
    assert (person.title, person.first_name, person.last_name, person.national_id, person.phone) == ("",) * 5
    assert person.email == "somchai@example.com"


def test_an_anonymous_complaint_needs_no_name(client):
    response = file_online(client, is_anonymous="on", title="", first_name="", last_name="", email="")

    assert response.status_code == 302
    person = the_case().complainants.get()
    assert person.is_anonymous and person.full_name and person.email == ""


def test_a_confidential_complaint_is_marked_so(client):
    file_online(client, is_confidential="on", national_id=format_national_id(VALID_ID))

    person = the_case().complainants.get()
    assert person.is_confidential and person.national_id == VALID_ID


def test_the_other_main_category_needs_its_text(client):
    other = Category.objects.get(parent__isnull=True, is_other=True)
    response = file_online(client, main_category=other.pk, category="")

    assert response.status_code == 400
    assert "ประเภท “เรื่องอื่นๆ” ต้องระบุรายละเอียดประเภทเรื่อง" in response.content.decode()
    assert not Complaint.objects.exists()

    file_online(client, main_category=other.pk, category="", category_other_text="ขอความช่วยเหลือเรื่องน้ำประปา")
    case = the_case()
    assert case.main_category == other and case.category is None
    assert case.category_other_text == "ขอความช่วยเหลือเรื่องน้ำประปา"


# --- What the citizen typed wrong -----------------------------------------------------------------


def test_a_wrong_national_id_is_said_beside_it_and_nothing_typed_is_lost(client):
    response = file_online(client, national_id=BAD_ID, files=[SimpleUploadedFile("a.jpg", photo_with_gps())])

    page = response.content.decode()
    assert response.status_code == 400
    assert "เลขประจำตัวประชาชนไม่ถูกต้อง: หลักสุดท้าย (หลักตรวจสอบ) ไม่ตรง กรุณาตรวจสอบอีกครั้ง" in page
    assert 'id="id_national_id_error"' in page and 'href="#id_national_id"' in page  # beside it, and in the summary
    assert "ถนนชำรุดเป็นหลุมลึกหน้าโรงเรียน" in page and "หน้าโรงเรียนบ้านหน้าเมือง" in page
    assert 'data-testid="files-lost"' in page  # the photo has to be chosen again, and he is told
    assert not Complaint.objects.exists() and not OnlineSubmission.objects.exists()


def test_no_consent_no_complaint(client):
    response = file_online(client, consent=None)

    assert response.status_code == 400
    assert "กรุณาอ่านและทำเครื่องหมายยินยอม ระบบจึงจะรับเรื่องได้" in response.content.decode()
    assert not Complaint.objects.exists() and not OnlineSubmission.objects.exists()


def test_the_form_names_what_is_kept_and_links_the_privacy_notice(client):
    page = client.get(FORM).content.decode()

    assert reverse("public:privacy") in page
    assert "ที่อยู่ไอพี" in page and "เพื่อป้องกันการใช้งานในทางที่ผิด" in page
    assert "<noscript>" in page and "ต้องกรอกอีเมล" in page
    assert "ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB รวมกันไม่เกิน 25 MB" in page


@pytest.mark.parametrize(
    ("subdistrict", "message"),
    [
        ("999999", "ไม่พบตำบลนี้ในอำเภอที่เลือก กรุณาเลือกตำบลใหม่"),  # no such sub-district
        ("700501", "ไม่พบตำบลนี้ในอำเภอที่เลือก กรุณาเลือกตำบลใหม่"),  # Ban Pong's, not Mueang's
        ("", "กรุณาเลือกตำบลที่เกิดเหตุ"),
    ],
)
def test_an_unknown_or_foreign_subdistrict_is_refused(client, subdistrict, message):
    response = file_online(client, incident_district="7001", incident_subdistrict=subdistrict)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Complaint.objects.exists() and not OnlineSubmission.objects.exists()


def test_a_subdistrict_posted_for_a_district_of_another_province_is_refused(client):
    response = file_online(client, incident_district_province="70", incident_district="7101")

    assert response.status_code == 400
    assert "อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_program_named_as_a_photo_is_refused_beside_the_files(client):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo at all", "image/jpeg")
    response = file_online(client, files=[fake])

    page = response.content.decode()
    assert response.status_code == 400
    assert "ไม่ใช่ภาพถ่ายหรือเอกสารที่ระบบรับได้" in page and 'id="id_files_error"' in page
    assert not Complaint.objects.exists() and not OnlineSubmissionFile.objects.exists()


def test_six_files_are_one_too_many(client):
    photos = [SimpleUploadedFile(f"p{i}.jpg", photo_with_gps(), "image/jpeg") for i in range(6)]
    response = file_online(client, files=photos)

    assert response.status_code == 400
    assert "แนบได้ไม่เกิน 5 ไฟล์ (เลือกมา 6 ไฟล์)" in response.content.decode()


def test_files_past_the_total_limit_are_refused(client, settings):
    settings.ONLINE_UPLOAD_TOTAL_BYTES = 1000
    response = file_online(client, files=[SimpleUploadedFile("a.jpg", photo_with_gps(), "image/jpeg")])

    assert response.status_code == 400
    assert "ไฟล์ทั้งหมดรวมกันต้องไม่เกิน" in response.content.decode()


# --- Abuse control --------------------------------------------------------------------------------


def test_the_honeypot_turns_a_bot_away_silently(client):
    response = file_online(client, website="http://cheap-pills.example")

    page = response.content.decode()
    assert response.status_code == 200
    assert "ระบบรับเรื่องนี้ทางเว็บไซต์ไม่ได้" in page and "website" not in page.lower().split("<main")[1]
    assert not Complaint.objects.exists() and not OnlineSubmission.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    page = client.get(FORM).content.decode()

    box = re.search(r'<div class="online-hp" aria-hidden="true">(.*?)</div>\s*</div>', page, re.S).group(1)
    assert 'name="website"' in box and 'tabindex="-1"' in box and 'autocomplete="off"' in box


@pytest.fixture
def within_one_window(monkeypatch):
    """The limits count in fixed windows: the test's requests all fall in one, whatever the clock says."""

    from core import limits

    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_000.0)


def test_the_sixth_complaint_in_an_hour_from_one_address_is_refused(client, within_one_window):
    for _ in range(5):
        assert file_online(client).status_code == 302

    response = file_online(client, subject="เรื่องที่หก")

    page = response.content.decode()
    assert response.status_code == 429
    assert "ท่านส่งเรื่องจากเครือข่ายนี้ครบ 5 เรื่องในหนึ่งชั่วโมงแล้ว" in page
    assert "เรื่องที่หก" in page  # nothing typed is lost
    assert Complaint.objects.count() == 5
    # Another address is not held up by his.
    assert file_online(client, address="198.51.100.20").status_code == 302


def test_the_twenty_first_form_load_in_a_minute_is_refused(client, within_one_window):
    for _ in range(20):
        assert client.get(FORM, REMOTE_ADDR=SOMCHAI).status_code == 200

    response = client.get(FORM, REMOTE_ADDR=SOMCHAI)

    assert response.status_code == 429 and int(response["Retry-After"]) <= 60
    assert "มีการเปิดหน้านี้ถี่เกินไป" in response.content.decode()


def test_a_used_challenge_is_refused(client):
    challenge = pow.new_challenge()
    counter = solved(challenge)
    first = client.post(FORM, the_form(proof_challenge=challenge, proof_counter=counter), REMOTE_ADDR=SOMCHAI)
    assert first.status_code == 302

    again = client.post(
        FORM, the_form(proof_challenge=challenge, proof_counter=counter, subject="อีกเรื่อง"), REMOTE_ADDR=SOMCHAI
    )

    assert again.status_code == 400
    assert "แบบฟอร์มนี้ถูกส่งไปแล้ว ระบบจึงไม่รับซ้ำ" in again.content.decode()
    assert Complaint.objects.count() == 1


def test_an_expired_challenge_is_refused(client, monkeypatch):
    real = time.time()
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: real - 31 * 60)
        challenge = pow.new_challenge()

    response = client.post(FORM, the_form(proof_challenge=challenge, proof_counter=solved(challenge)))

    assert response.status_code == 400
    assert "แบบฟอร์มนี้เปิดไว้นานเกิน 30 นาที" in response.content.decode()
    assert not Complaint.objects.exists()


def test_an_unsolved_or_malformed_proof_is_refused(client):
    challenge = pow.new_challenge()
    unsolved = next(str(n) for n in range(1000) if not pow.solves(challenge, str(n), pow.bits_asked(challenge)))

    for counter in (unsolved, "-1", "1e9", "9" * 40):
        response = client.post(FORM, the_form(proof_challenge=challenge, proof_counter=counter))
        assert response.status_code == 400
        assert "ตรวจสอบแบบฟอร์มไม่ผ่าน" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_form_sets_no_cookie_and_takes_only_posts_of_its_own_pages(client):
    page = client.get(FORM)
    assert page.status_code == 200 and not page.cookies  # no CSRF cookie: the form's challenge stands in

    for forged in ("", signing.dumps({"n": "x", "b": 0}, salt="another.salt"), "not-a-challenge"):
        response = client.post(FORM, the_form(proof_challenge=forged), REMOTE_ADDR=SOMCHAI)
        assert response.status_code == 403 and not response.cookies
        assert "ตรวจสอบแบบฟอร์มไม่ผ่าน" in response.content.decode()
        assert "ถนนชำรุดเป็นหลุมลึกหน้าโรงเรียน" in response.content.decode()  # kept for the next try
    assert not Complaint.objects.exists() and not OnlineSubmission.objects.exists()


def test_without_script_a_form_typed_for_hours_still_goes(client, monkeypatch, mailoutbox):
    real = time.time()
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: real - 3 * 60 * 60)
        challenge = pow.new_challenge()

    response = client.post(FORM, the_form(proof_challenge=challenge), REMOTE_ADDR=SOMCHAI)

    assert response.status_code == 302 and OnlineSubmission.objects.get().confirmed_at is None


def test_the_proof_asks_the_configured_bits(settings):
    settings.ONLINE_POW_BITS = 16
    challenge = pow.new_challenge()

    assert pow.bits_asked(challenge) == 16
    assert pow.leading_zero_bits(b"\x00\x00\x80" + b"\x00" * 29) == 16
    assert pow.leading_zero_bits(b"\x00\x01" + b"\xff" * 30) == 15


def test_a_double_submit_files_once(client):
    first = file_online(client)
    key = OnlineSubmission.objects.get().data["submission_key"]

    second = file_online(client, submission_key=key)

    def receipt_of(response):
        return services.receipt_submission(response["Location"].rstrip("/").rsplit("/", 1)[1])

    assert second.status_code == 302 and receipt_of(second) == receipt_of(first)  # the first one's receipt
    assert Complaint.objects.count() == 1 and OnlineSubmission.objects.count() == 1


def test_the_intake_service_files_a_submission_key_once(alice):
    key = uuid.uuid4()
    data = intake_data()

    case, created = case_intake_online(
        district=alice.district, data=data, submission_key=key, client_address="192.0.2.1"
    )
    again, created_again = case_intake_online(
        district=alice.district, data=intake_data(), submission_key=key, client_address="192.0.2.1"
    )

    assert created and not created_again and again == case
    assert case.channel == "online" and case.recorded_by is None


# --- Without script: the e-mailed confirmation ----------------------------------------------------


def test_without_script_an_email_is_required(client):
    response = file_online(client, proof=False, email="")

    assert response.status_code == 400
    assert "กรุณากรอกอีเมล: เมื่อไม่ได้เปิดใช้ JavaScript" in response.content.decode()
    assert not OnlineSubmission.objects.exists()


def test_malee_without_script_confirms_by_email_and_the_case_is_filed_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = file_online(client, proof=False, email="malee@example.com", first_name="มาลี", last_name="ศรีสุข")

    # She is told to look in her mailbox; nothing is filed yet.
    waiting = client.get(response["Location"]).content.decode()
    assert "ยืนยันทางอีเมล" in waiting and "ma***@example.com" in waiting
    assert not Complaint.objects.exists()
    confirmation = next(m for m in mailoutbox if m.subject == "ยืนยันการส่งเรื่องร้องเรียนถึงศูนย์ดำรงธรรม")
    assert confirmation.to == ["malee@example.com"]
    assert "ถนนชำรุด" not in confirmation.body  # nothing she typed rides along
    link = re.search(r"https?://\S+/complain/confirm/\S+/", confirmation.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert OnlineSubmission.objects.get().token_hash != token  # only its hash is kept

    # The link opens a page with a button; opening it files nothing (mail scanners open links).
    page = client.get(path)
    assert page.status_code == 200 and "ยืนยันและส่งเรื่อง" in page.content.decode()
    assert not Complaint.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(path, REMOTE_ADDR="198.51.100.9")
    case = the_case()
    receipt = client.get(filed["Location"]).content.decode()
    assert format_tracking_code(case.tracking_code) in receipt
    assert case.channel == "online" and case.complainants.get().first_name == "มาลี"
    row = AuditEvent.objects.get(complaint_id=case.pk, action="intake")
    assert row.detail == "ผู้ร้องยื่นทางเว็บไซต์ (ยืนยันทางอีเมล)" and row.ip == SOMCHAI  # who typed it

    # A second click: already filed, still one case.
    for again in (client.get(path), client.post(path)):
        assert "เรื่องนี้ยืนยันและส่งถึงศูนย์ดำรงธรรมแล้ว" in again.content.decode()
    assert Complaint.objects.count() == 1


def test_a_confirmation_link_after_a_day_files_nothing(client, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        file_online(client, proof=False)
    OnlineSubmission.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    path = "/" + re.search(r"https?://[^/]+/(complain/confirm/\S+/)", mailoutbox[0].body).group(1)

    response = client.post(path)

    assert response.status_code == 404 and "ลิงก์ยืนยันนี้ใช้ไม่ได้แล้ว" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_mistyped_confirmation_link_is_not_found(client):
    response = client.get(reverse("public:complain_confirm", args=["0" * 64]))

    assert response.status_code == 404


def test_unconfirmed_submissions_and_their_files_are_purged_after_a_day(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file_online(client, proof=False, files=[SimpleUploadedFile("a.jpg", photo_with_gps(), "image/jpeg")])
        file_online(client, proof=False, subject="ยังไม่ถึงวัน")
        file_online(client)  # filed at once: not the purge's
    stale = OnlineSubmission.objects.get(confirmed_at__isnull=True, files__isnull=False)
    stored = stale.files.get().file
    assert stored.storage.exists(stored.name)
    OnlineSubmission.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))

    call_command("purge_online_submissions", stdout=io.StringIO())

    assert not OnlineSubmission.objects.filter(pk=stale.pk).exists()
    assert not stored.storage.exists(stored.name)
    assert OnlineSubmission.objects.count() == 2 and Complaint.objects.count() == 1


def test_the_purge_runs_hourly_from_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-online-submissions"]

    assert schedule["task"] == "public.online.purge_submissions" and schedule["schedule"] == 60 * 60
    from core.celery import app

    app.loader.import_default_modules()
    assert "public.online.purge_submissions" in app.tasks and services.SEND_CONFIRMATION_TASK in app.tasks


# --- The pieces around the form -------------------------------------------------------------------


def test_the_receipt_page_expires_after_a_day(client, monkeypatch):
    file_online(client)
    submission = OnlineSubmission.objects.get()
    real = time.time()
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: real - 25 * 60 * 60)
        old = services.receipt_url(submission)

    response = client.get(old)

    assert response.status_code == 404 and "หน้านี้หมดอายุแล้ว" in response.content.decode()


def test_the_pickers_lists_need_no_sign_in(client, geography):
    districts = client.get(reverse("public:complain_districts"), {"province": "70"})
    subdistricts = client.get(reverse("public:complain_subdistricts"), {"district": "7001"})

    assert {"code": "7001", "name": "เมืองราชบุรี"} in districts.json()["districts"]
    assert {"code": "700101", "name": "หน้าเมือง"} in subdistricts.json()["subdistricts"]
    assert "public" in districts["Cache-Control"]
    assert client.get(reverse("public:complain_subdistricts"), {"district": "7\x00"}).status_code == 400


def test_without_script_the_next_list_is_shown_on_request(client, geography):
    response = client.post(FORM, the_form(incident_district_province="70", incident_district="", refresh_areas="1"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="7001">เมืองราชบุรี</option>' in page
    assert "ถนนชำรุดเป็นหลุมลึกหน้าโรงเรียน" in page and "is-invalid" not in page


def test_the_menu_offers_complaining_online(client, geography):
    page = client.get(reverse("public:home")).content.decode()

    assert f'href="{FORM}"' in page and "ร้องเรียนออนไลน์" in page and "bi-pencil-square" in page


def test_a_file_refused_while_filing_leaves_no_case_and_no_file(alice, tmp_path):
    files = [ContentFile(photo_with_gps(), name="good.jpg"), ContentFile(b"MZ\x90\x00 a program", name="bad.jpg")]

    with pytest.raises(ValidationError):
        case_intake_online(
            district=alice.district, data=intake_data(), submission_key=uuid.uuid4(), client_address=None, files=files
        )

    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("bits", ["4", "30"])
def test_production_refuses_a_proof_of_work_too_light_or_too_heavy(bits):
    from tests.core.test_settings import PRODUCTION, run_manage

    result = run_manage("check", **PRODUCTION, ONLINE_POW_BITS=bits)

    assert result.returncode != 0 and "ONLINE_POW_BITS must be between 10 and 22" in result.stderr
