"""Issue 17's story in a browser: Alice registers a colleague who replaces Amy, the
district chief certifies it from his inbox, the new officer opens her account from the
link in her mail (a real SMTP server on this machine) and signs in; Amy can no longer
sign in, and the task she held is back in the queue."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Registration
from core import outbox
from core.models import User
from tests.browser.conftest import field
from tests.conftest import PASSWORD
from tests.factories import national_id
from tests.public.mail import local_smtp, text_of
from workflows import engine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Malee-Rak-2569"


@pytest.fixture
def smtp_server(settings, geography):
    yield from local_smtp(settings)


def be(day) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


@pytest.mark.parametrize("width", [1366, 390])
def test_a_replacement_registered_certified_from_the_inbox_and_activated_from_the_mail(
    open_as, page, smtp_server, alice, amy, harry, new_case, width
):
    task = engine.open_tasks(new_case).get()
    engine.claim(task, amy)
    newcomer = national_id()

    # Alice fills the form for the colleague who replaces Amy.
    officer = open_as(alice)
    officer.set_viewport_size({"width": width, "height": 900})
    officer.goto("/accounts/registrations/new/")
    officer.get_by_role("radio", name="ลงทะเบียนแทน").check()
    field(officer, "เจ้าหน้าที่เดิมที่ลงทะเบียนแทน").select_option(value=str(amy.pk))
    field(officer, "เหตุที่ลงทะเบียนแทน").fill("ได้รับมอบหมายให้ปฏิบัติงานอื่น")
    field(officer, "เลขประจำตัวประชาชน").fill(newcomer)
    field(officer, "คำนำหน้านาม").fill("นางสาว")
    field(officer, "ชื่อตัว").fill("มาลี")
    field(officer, "ชื่อสกุล").fill("ศรีงาม")
    field(officer, "ตำแหน่ง").select_option(label="ปลัดอำเภอ")
    field(officer, "หมายเลขโทรศัพท์สถานที่ราชการ").fill("032 337 006")
    field(officer, "อีเมลสำหรับรับลิงก์เปิดใช้งาน").fill("malee@example.go.th")
    field(officer, "วัน/เดือน/ปี ที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน").fill(be(timezone.localdate()))
    officer.get_by_role("button", name="ส่งแบบลงทะเบียน").click()
    expect(officer.get_by_test_id("registration-state")).to_have_text("รอการรับรอง")

    # The chief finds it on his inbox and certifies it.
    head = open_as(harry)
    head.set_viewport_size({"width": width, "height": 900})
    head.goto("/inbox/")
    box = head.get_by_test_id("registrations-waiting-box")
    expect(box).to_contain_text("มาลี")
    box.get_by_role("link", name=re.compile("มาลี")).click()
    head.get_by_role("button", name="รับรอง", exact=True).click()
    expect(head.get_by_test_id("registration-state")).to_have_text("รับรองแล้ว")
    assert head.evaluate("document.documentElement.scrollWidth") <= width

    # The link reaches her mailbox; she sets her own password and signs in.
    outbox.relay()
    [mail] = [m for m in smtp_server.messages if "malee@example.go.th" in str(m["To"])]
    link = re.search(r"https?://\S+/accounts/activate/\S+/", text_of(mail))[0]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(urlsplit(link).path)
    field(page, "รหัสผ่านใหม่").fill(NEW_PASSWORD)
    field(page, "ยืนยันการตั้งรหัสผ่านใหม่").fill(NEW_PASSWORD)
    page.get_by_role("button", name="เปิดใช้งานบัญชี").click()
    expect(page.get_by_text("เปิดใช้งานบัญชีเรียบร้อยแล้ว")).to_be_visible()
    page.get_by_label("เลขประจำตัวประชาชน").fill(newcomer)
    page.get_by_label("รหัสผ่าน").fill(NEW_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("heading", name=re.compile("มาลี ศรีงาม"))).to_be_visible()

    # Amy can no longer sign in; the task she held waits in the queue.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("เลขประจำตัวประชาชน").fill(amy.national_id)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator(".alert-danger, .invalid-feedback, .errorlist").first).to_be_visible()
    assert not User.objects.get(pk=amy.pk).is_active
    task.refresh_from_db()
    assert task.owner_id is None
    registration = Registration.objects.get(national_id=newcomer)
    assert registration.account.is_active and registration.replacement_done_at is not None
