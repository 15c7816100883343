"""Registration as a workflow (issue 17): filled by an officer of a center, certified or
returned by its head, the account created inactive and opened by its officer alone;
replacements and moves end what the old account held and keep what it did."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import selectors, services
from accounts.models import Activation, Position, Registration
from audit.models import AuditEvent, Kind
from cases.models import CaseEvent
from core.models import User
from permissions import services as sharing
from permissions.models import CaseShare
from tests.conftest import PASSWORD
from tests.factories import UserFactory, national_id
from workflows import engine

NEW_PASSWORD = "Rak-Thai-2569x"


def form(**overrides) -> dict:
    """The registration form as an officer posts it."""
    today = timezone.localdate()
    be = f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
    data = {
        "registered_on": be, "kind": "first", "national_id": national_id(), "title": "นางสาว",
        "first_name": "มาลี", "last_name": "ศรีงาม", "position": Position.ADMINISTRATIVE_OFFICER, "level": "ชำนาญงาน",
        "work_unit": "ศูนย์ดำรงธรรมอำเภอ", "section": "ฝ่ายปกครอง", "office_phone": "032 337 006",
        "mobile_phone": "081 234 5678", "email": "malee@example.go.th", "assigned_on": be,
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, data) -> Registration:
    response = client.post(reverse("accounts:new_registration"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Registration.objects.get(national_id=data["national_id"])


def audit_details() -> list[str]:
    return list(AuditEvent.objects.filter(kind=Kind.ACCOUNT).order_by("id").values_list("detail", flat=True))


# --- First registration: filled, certified, activated ------------------------------------------


def test_a_colleague_registered_certified_and_activated_from_the_mail(
    alice, harry, signed_in, client, django_capture_on_commit_callbacks
):
    signed_in(alice)
    data = form()
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(client, data)
    assert registration.state == Registration.State.WAITING
    assert (registration.scope_level, registration.district_id) == ("district", "7001")
    assert registration.submitted_by == alice

    # The head finds it on his start page and his list, and certifies it.
    signed_in(harry)
    home = client.get(reverse("home")).content.decode()
    assert "รอการรับรองของคุณ" in home and "มาลี" in home
    assert [r.pk for r in selectors.waiting_for(harry)] == [registration.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:certify", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    account = registration.account
    assert registration.state == Registration.State.CERTIFIED and registration.certifier_name == harry.get_full_name()
    assert not account.is_active and not account.has_usable_password()
    assert account.role_codes == {"district_officer"} and account.district_id == "7001"
    assert account.position == "เจ้าพนักงานปกครองชำนาญงาน"  # the position and its level
    assert registration.form_pdf and len(registration.form_sha256) == 64

    # The mail carries a one-time link; nobody else knows the password set through it.
    (message,) = [m for m in mail.outbox if "malee@example.go.th" in m.to]
    link = re.search(r"http\S+/accounts/activate/(\S+)/", message.body)
    code = link.group(1)
    assert not Activation.objects.filter(digest=code).exists()  # only the digest is kept
    client.logout()
    page = client.get(f"/accounts/activate/{code}/")
    assert page.status_code == 200 and "ตั้งรหัสผ่านของคุณ" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    done = client.post(f"/accounts/activate/{code}/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    account.refresh_from_db()
    assert account.is_active and account.check_password(NEW_PASSWORD) and not account.must_change_password
    assert (
        client.post("/accounts/login/", {"username": account.national_id, "password": NEW_PASSWORD}).status_code == 302
    )
    # Once only.
    client.logout()
    again = client.get(f"/accounts/activate/{code}/")
    assert again.status_code == 404 and "ใช้ไปแล้วหรือหมดอายุ" in again.content.decode()

    steps = audit_details()
    assert any("submitted" in s for s in steps) and any(s.endswith(f"certified [account {account.pk}]") for s in steps)
    assert any("account activated" in s for s in steps)


def test_a_form_without_email_is_activated_from_a_printed_slip(alice, harry, signed_in, client):
    signed_in(alice)
    registration = submit(client, form(email=""))
    signed_in(harry)
    client.post(reverse("accounts:certify", args=[registration.pk]))
    registration.refresh_from_db()
    assert not mail.outbox or all(registration.national_id not in m.body for m in mail.outbox)
    slip = client.post(reverse("accounts:slip", args=[registration.pk]))
    assert slip.status_code == 200 and "no-store" in slip["Cache-Control"]
    first = re.search(r'data-testid="activation-code">([A-Z0-9-]+)<', slip.content.decode()).group(1)
    # A second slip makes the first useless.
    second = client.post(reverse("accounts:slip", args=[registration.pk])).content.decode()
    code = re.search(r'data-testid="activation-code">([A-Z0-9-]+)<', second).group(1)
    client.logout()
    stale = client.post("/accounts/activate/", {"national_id": registration.national_id, "code": first})
    assert "รหัสเปิดใช้งานไม่ถูกต้อง" in stale.content.decode()
    typed = code.lower().replace("-", " ")  # as read from paper
    page = client.post("/accounts/activate/", {"national_id": registration.national_id, "code": typed})
    assert page.status_code == 200 and "ตั้งรหัสผ่านของคุณ" in page.content.decode()
    done = client.post(f"/accounts/activate/{typed}/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(national_id=registration.national_id).is_active


def test_a_slip_code_with_another_national_id_is_refused_and_wrong_codes_are_braked(alice, harry, signed_in, client):
    signed_in(alice)
    registration = submit(client, form(email=""))
    signed_in(harry)
    client.post(reverse("accounts:certify", args=[registration.pk]))
    code = re.search(
        r'data-testid="activation-code">([A-Z0-9-]+)<',
        client.post(reverse("accounts:slip", args=[registration.pk])).content.decode(),
    ).group(1)
    client.logout()
    wrong = client.post("/accounts/activate/", {"national_id": alice.national_id, "code": code})
    assert "รหัสเปิดใช้งานไม่ถูกต้อง" in wrong.content.decode()
    for _ in range(9):
        client.post("/accounts/activate/", {"national_id": registration.national_id, "code": "AAAA-AAAA-AAAA-AAAA"})
    refused = client.post("/accounts/activate/", {"national_id": registration.national_id, "code": code})
    assert refused.status_code == 429 and "Retry-After" in refused


# --- The rules of the form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"position": Position.GOVERNOR}, "position", "ลงทะเบียนในระดับอำเภอ ไม่ได้"),
        ({"kind": "replacement"}, "replaces", "กรุณาเลือกเจ้าหน้าที่เดิมที่ลงทะเบียนแทน"),
        ({"national_id": "1234567890123"}, "national_id", "เลขประจำตัวประชาชน"),
        ({"office_phone": ""}, "office_phone", "required"),
    ],
)
def test_a_wrong_form_says_why_in_thai_and_saves_nothing(alice, harry, signed_in, client, overrides, field, message):
    signed_in(alice)
    response = client.post(reverse("accounts:new_registration"), form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message != "required":
        assert message in " ".join(errors[field])
    assert not Registration.objects.exists()


def test_one_open_form_per_person(alice, harry, signed_in, client):
    signed_in(alice)
    data = form()
    submit(client, data)
    response = client.post(reverse("accounts:new_registration"), data)
    assert "รอดำเนินการอยู่แล้ว" in " ".join(response.context["form"].errors["national_id"])


def test_a_center_without_a_certifier_is_told_so(db, geography, signed_in, client):
    lonely = UserFactory(roles=["district_officer"], district="7005")
    signed_in(lonely)
    response = client.post(reverse("accounts:new_registration"), form())
    assert "ยังไม่มีผู้รับรองของศูนย์นี้" in response.content.decode()
    assert not Registration.objects.exists()


def test_returned_with_a_reason_corrected_and_sent_again(
    alice, harry, signed_in, client, django_capture_on_commit_callbacks
):
    signed_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(client, form(level=""))
    signed_in(harry)
    assert (
        client.post(reverse("accounts:return_registration", args=[registration.pk]), {"reason": " "}).status_code == 302
    )
    registration.refresh_from_db()
    assert registration.state == Registration.State.WAITING  # no reason, no return
    client.post(reverse("accounts:return_registration", args=[registration.pk]), {"reason": "กรุณาระบุระดับ"})
    registration.refresh_from_db()
    assert registration.state == Registration.State.RETURNED and registration.return_reason == "กรุณาระบุระดับ"
    assert client.post(reverse("accounts:certify", args=[registration.pk])).status_code == 403

    signed_in(alice)
    page = client.get(reverse("accounts:edit_registration", args=[registration.pk])).content.decode()
    assert "กรุณาระบุระดับ" in page
    data = form(national_id=registration.national_id, level="ปฏิบัติงาน")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:edit_registration", args=[registration.pk]), data)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.state, registration.level, registration.return_reason) == ("waiting", "ปฏิบัติงาน", "")
    assert harry.notifications.filter(kind=services.WAITING_NOTICE).count() == 2  # told each time it came


def test_withdrawn_by_its_filler(alice, harry, signed_in, client):
    signed_in(alice)
    registration = submit(client, form())
    signed_in(harry)
    assert client.post(reverse("accounts:withdraw", args=[registration.pk])).status_code == 403
    signed_in(alice)
    client.post(reverse("accounts:withdraw", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.state == Registration.State.WITHDRAWN and registration.account is None


# --- Heads: themselves, and new heads -----------------------------------------------------------


def test_a_district_chief_certifies_his_own_form(harry, signed_in, client):
    signed_in(harry)
    data = form(
        national_id=harry.national_id, title="นาย", first_name=harry.first_name, last_name=harry.last_name,
        position=Position.DISTRICT_CHIEF,
    )  # fmt: skip
    registration = submit(client, data)
    assert registration.state == Registration.State.CERTIFIED and registration.self_certified
    assert registration.account == harry and registration.decided_by == harry
    harry.refresh_from_db()
    assert harry.is_active and harry.check_password(PASSWORD)  # his password stays his
    assert any(s.startswith(f"registration:{registration.pk} registration self-certified") for s in audit_details())


def test_a_new_district_chief_is_certified_by_the_governor(alice, harry, pete, signed_in, client):
    signed_in(alice)
    registration = submit(client, form(position=Position.DISTRICT_CHIEF, title="นาย", first_name="ใหม่"))
    assert [r.pk for r in selectors.waiting_for(harry)] == []
    assert [r.pk for r in selectors.waiting_for(pete)] == [registration.pk]
    signed_in(pete)
    client.post(reverse("accounts:certify", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.state == "certified" and registration.account.role_codes == {"district_head"}


# --- Replacement and moves -----------------------------------------------------------------------


def test_a_replacement_ends_the_replaced_account_and_keeps_its_work(
    alice, amy, harry, kim, new_case, signed_in, client
):
    task = engine.open_tasks(new_case).get()
    engine.claim(task, amy)
    share = sharing.share_case(
        actor=harry, case=new_case, reason="ช่วยดู", expires_on=timezone.localdate() + dt.timedelta(days=7), user=kim
    )
    recorded_by_alice = CaseEvent.objects.filter(complaint=new_case, actor=alice).count()
    amys_browser = Client()
    amys_browser.force_login(amy)
    assert amys_browser.get(reverse("workflows:inbox")).status_code == 200
    signed_in(alice)
    registration = submit(client, form(kind="replacement", replaces=amy.pk, replaced_because="ได้รับมอบหมายให้ปฏิบัติงานอื่น"))
    signed_in(harry)
    client.post(reverse("accounts:certify", args=[registration.pk]))
    amy.refresh_from_db()
    task.refresh_from_db()
    assert not amy.is_active
    assert task.owner_id is None  # back in the queue
    assert CaseShare.objects.get(pk=share.pk).revoked_at is None  # Kim's share is not Amy's
    assert CaseEvent.objects.filter(complaint=new_case, actor=alice).count() == recorded_by_alice
    released = AuditEvent.objects.filter(kind=Kind.TASK_RELEASE).latest("id")
    assert released.before["owner"] == amy.pk and released.actor_id == harry.pk
    client.logout()
    refused = client.post("/accounts/login/", {"username": amy.national_id, "password": PASSWORD})
    assert refused.status_code == 200  # cannot sign in
    assert amys_browser.get(reverse("workflows:inbox")).status_code == 302  # her open session ended


def test_a_replacement_dated_ahead_ends_the_account_on_that_date(alice, amy, harry, signed_in, client):
    ahead = timezone.localdate() + dt.timedelta(days=10)
    signed_in(alice)
    registration = submit(
        client,
        form(kind="replacement", replaces=amy.pk, assigned_on=f"{ahead.day:02d}/{ahead.month:02d}/{ahead.year + 543}"),
    )
    signed_in(harry)
    client.post(reverse("accounts:certify", args=[registration.pk]))
    amy.refresh_from_db()
    assert amy.is_active
    assert services.end_replaced_accounts(today=ahead - dt.timedelta(days=1)) == 0
    assert services.end_replaced_accounts(today=ahead) == 1
    amy.refresh_from_db()
    assert not amy.is_active
    assert services.end_replaced_accounts(today=ahead) == 0  # once


def test_a_move_ends_the_old_scope_and_keeps_the_account(alice, harry, kim, ken, signed_in, client):
    from cases.services import case_intake
    from tests.case_fixtures import intake_data

    kims_case, _ = case_intake(actor=kim, district=kim.district, data=intake_data())
    kims_task = engine.open_tasks(kims_case).get()
    engine.claim(kims_task, kim)
    signed_in(alice)
    registration = submit(
        client,
        form(national_id=kim.national_id, title=kim.title, first_name=kim.first_name, last_name=kim.last_name),
    )
    signed_in(harry)
    client.post(reverse("accounts:certify", args=[registration.pk]))
    kim.refresh_from_db()
    kims_task.refresh_from_db()
    registration.refresh_from_db()
    assert kim.is_active and kim.district_id == "7001" and kim.check_password(PASSWORD)
    assert kims_task.owner_id is None
    assert "กาญจนบุรี" in registration.previous_scope
    assert list(selectors.history_of(kim)) == [registration]
    signed_in(kim)
    assert "registration-history" in client.get(reverse("profile")).content.decode()


# --- Who sees what --------------------------------------------------------------------------------


def test_registrations_stay_in_their_center(alice, harry, bob, tom, pete, carol, signed_in, client):
    signed_in(alice)
    registration = submit(client, form())
    detail = reverse("accounts:registration_detail", args=[registration.pk])
    for outsider in (bob, tom, carol):
        signed_in(outsider)
        assert client.get(detail).status_code == 404, outsider
        assert client.get(reverse("accounts:form_pdf", args=[registration.pk])).status_code == 404
        assert client.post(reverse("accounts:certify", args=[registration.pk])).status_code == 404
        assert registration.full_name not in client.get(reverse("accounts:registrations")).content.decode()
    signed_in(tom)
    assert client.get(reverse("accounts:new_registration")).status_code == 403
    for insider in (alice, harry, pete):
        signed_in(insider)
        assert client.get(detail).status_code == 200
    signed_in(pete)
    assert client.post(reverse("accounts:certify", args=[registration.pk])).status_code == 403


# --- Oversight ------------------------------------------------------------------------------------


def test_oversight_of_a_province(alice, amy, harry, pete, ada, bob, signed_in, client):
    signed_in(alice)
    registration = submit(client, form())
    stale = UserFactory(roles=["district_officer"], district="7005")
    User.objects.filter(pk=stale.pk).update(last_login=timezone.now() - dt.timedelta(days=120))
    signed_in(pete)
    page = client.get(reverse("accounts:oversight"))
    assert page.status_code == 200
    oversight = page.context["page"]
    assert [r.pk for r in oversight.waiting] == [registration.pk]
    centers = {row.code: row for row in oversight.centers}
    assert centers["7001"].officers == 2 and not centers["7001"].short  # Alice and Amy
    assert centers["7002"].short and centers["7002"].officers == 0
    assert stale in oversight.unused
    signed_in(ada)
    national = client.get(reverse("accounts:oversight")).context["page"]
    assert len(national.provinces) == 77 and not national.centers
    assert client.get(reverse("accounts:oversight") + "?province=70").context["page"].province.code == "70"
    signed_in(bob)
    assert client.get(reverse("accounts:oversight")).status_code == 403


def test_an_account_whose_certifier_left_is_flagged(alice, harry, pete, signed_in, client):
    signed_in(alice)
    registration = submit(client, form())
    signed_in(harry)
    client.post(reverse("accounts:certify", args=[registration.pk]))
    registration.refresh_from_db()
    services.activate(Activation.objects.create(
        user=registration.account, digest="x" * 64, channel="slip", expires_at=timezone.now() + dt.timedelta(days=1)
    ), password=NEW_PASSWORD)  # fmt: skip
    assert selectors.orphaned() == []
    services.end_account(harry, actor=None, why="retired")
    assert [r.pk for r in selectors.orphaned()] == [registration.pk]


def test_a_center_without_a_head_sends_its_forms_up(db, geography, pete, ada, signed_in, client):
    lonely = UserFactory(roles=["district_officer"], district="7005")
    signed_in(lonely)
    registration = submit(client, form())
    assert [r.pk for r in selectors.waiting_for(pete)] == [registration.pk]
    # A governor's delegate registering himself, the province's only head, goes to the center.
    pete.position = "ปลัดจังหวัด"
    signed_in(pete)
    delegate = submit(
        client, form(position=Position.GOVERNOR_DELEGATE, national_id=pete.national_id, first_name=pete.first_name)
    )
    assert delegate.state == Registration.State.WAITING  # not his own to certify
    assert delegate.pk not in [r.pk for r in selectors.waiting_for(pete)]
    assert delegate.pk in [r.pk for r in selectors.waiting_for(ada)]
