"""Signing in, the forced password change, language and sign-out in a real browser."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core.thai import to_thai_digits
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_signs_in_with_thai_digits_and_signs_out(page, sign_in, alice):
    nid = alice.national_id
    sign_in(alice, national_id=to_thai_digits(f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("สวัสดี")
    expect(page.get_by_test_id("nav-person-vcard")).to_contain_text(alice.get_full_name())
    expect(page.get_by_test_id("roles")).to_contain_text("เจ้าหน้าที่ศูนย์ดำรงธรรมอำเภอ")

    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_a_malformed_id_is_explained_and_kept(page):
    page.goto("/accounts/login/")
    page.get_by_label("เลขประจำตัวประชาชน").fill("1700100000013")
    page.get_by_label("รหัสผ่าน").fill("anything")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("alert").first).to_contain_text("หลักตรวจสอบ")
    expect(page.get_by_label("เลขประจำตัวประชาชน")).to_have_value("1700100000013")


def test_newcomer_must_change_password_before_anything_else(page, sign_in, alice):
    alice.must_change_password = True
    alice.save()
    sign_in(alice)

    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.get_by_test_id("must-change-password")).to_be_visible()
    for path in ("/", "/accounts/profile/", "/admin/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/accounts/password/$"))

    page.get_by_label("รหัสผ่านเก่า").fill(PASSWORD)
    page.get_by_label(re.compile(r"^รหัสผ่านใหม่")).fill("Khao-Wang-2570x")
    page.get_by_label("ยืนยันการตั้งรหัสผ่านใหม่").fill("Khao-Wang-2570x")
    page.get_by_role("button", name="บันทึกรหัสผ่านใหม่").click()

    expect(page.get_by_role("status").first).to_contain_text("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว")
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ข้อมูลส่วนตัว")


def test_switching_language(page, sign_in, alice):
    page.goto("/accounts/login/")
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    page.get_by_label("National ID").fill(alice.national_id)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_test_id("language-th").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_visible()


def test_lockout_message(page, alice):
    page.goto("/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("เลขประจำตัวประชาชน").fill(alice.national_id)
        page.get_by_label("รหัสผ่าน").fill("wrong-password-1")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_test_id("locked-out")).to_contain_text("ระงับการเข้าสู่ระบบชั่วคราว")


def test_menu_works_on_a_phone_and_by_keyboard(page, sign_in, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(alice)
    menu = page.get_by_role("link", name="ข้อมูลส่วนตัว")
    expect(menu).to_be_hidden()
    toggler = page.get_by_role("button", name="เปิดหรือปิดเมนู")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    # Opened, not still opening: a click during Bootstrap's collapse animation could
    # land on a link still sliding into place (seen once on a loaded machine).
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    menu.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ข้อมูลส่วนตัว")
    # The page fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
