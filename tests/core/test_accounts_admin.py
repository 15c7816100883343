"""Administrators register officers: no shared first password, one shown once."""

import re

import pytest
from django.urls import reverse

from core.models import User
from core.thai import make_national_id, to_thai_digits

pytestmark = pytest.mark.django_db


def registration(**overrides):
    data = {
        "registered_on": "26/11/2569",
        "registration": "first",
        "national_id": make_national_id("170010000099"),
        "title": "นางสาว",
        "first_name": "มาลี",
        "last_name": "ใจงาม",
        "position": "เจ้าพนักงานปกครองปฏิบัติงาน",
        "level": "ปฏิบัติงาน",
        "work_unit": "ศูนย์ดำรงธรรมอำเภอ",
        "section": "ฝ่ายอำนวยความสะดวก",
        "scope_level": "district",
        "district": "7001",
        "roles": ["district_officer"],
        "office_phone": "0 3233 7006",
        "assigned_on": "๑/๑๐/๒๕๖๙",
        "is_active": "on",
        "history-TOTAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def one_time_password(response) -> str:
    match = re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)


def test_new_account_gets_its_own_password_shown_once(client, signed_in, ada):
    admin = signed_in(ada)
    response = admin.post(reverse("admin:core_user_add"), registration())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = one_time_password(response)
    officer = User.objects.get(national_id=make_national_id("170010000099"))
    assert officer.must_change_password
    assert officer.check_password(password)
    assert officer.province_id == "70"
    assert officer.assigned_on.isoformat() == "2026-10-01"
    assert list(officer.roles.values_list("code", flat=True)) == ["district_officer"]
    # The page that showed it does not come back: the change page has no password.
    change_page = admin.get(reverse("admin:core_user_change", args=[officer.pk])).content.decode()
    assert password not in change_page
    # The new officer signs in and is sent to change it first.
    admin.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": officer.national_id, "password": password})
    assert client.get(reverse("home")).url == reverse("password_change")


def test_two_new_accounts_get_different_passwords(signed_in, ada):
    admin = signed_in(ada)
    first = one_time_password(admin.post(reverse("admin:core_user_add"), registration()))
    second = one_time_password(
        admin.post(reverse("admin:core_user_add"), registration(national_id=make_national_id("170010000098")))
    )
    assert first != second


@pytest.mark.parametrize(
    ("national_id", "message"),
    [
        (make_national_id("012345678901"), "ขึ้นต้นด้วย 0 หรือ 9"),
        (make_national_id("912345678901"), "ขึ้นต้นด้วย 0 หรือ 9"),
        ("1700100000099", "หลักตรวจสอบ"),
        ("17001", "ต้องมี 13 หลัก"),
        ("๑๗๐๐๑ก๐๐๐๐๐๙๙", "ตัวเลขเท่านั้น"),
    ],
)
def test_registration_refuses_bad_national_ids(signed_in, ada, national_id, message):
    admin = signed_in(ada)
    response = admin.post(reverse("admin:core_user_add"), registration(national_id=national_id))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(first_name="มาลี").exists()


def test_registration_accepts_thai_digits(signed_in, ada):
    admin = signed_in(ada)
    nid = make_national_id("170010000099")
    typed = to_thai_digits(f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}")
    admin.post(reverse("admin:core_user_add"), registration(national_id=typed))
    assert User.objects.filter(national_id=make_national_id("170010000099")).exists()


def test_duplicate_national_id_is_refused(signed_in, ada, alice):
    admin = signed_in(ada)
    response = admin.post(reverse("admin:core_user_add"), registration(national_id=alice.national_id))
    assert "มีบัญชีผู้ใช้ของเลขประจำตัวประชาชนนี้อยู่แล้ว" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"district": ""}, "ผู้ใช้ระดับอำเภอต้องระบุอำเภอ"),
        ({"scope_level": "province", "province": "", "district": ""}, "ผู้ใช้ระดับจังหวัดต้องระบุจังหวัด"),
        ({"roles": ["province_officer"]}, "ใช้กับระดับสิทธิที่เลือกไม่ได้"),
        ({"registration": "replacement"}, "กรุณาเลือกผู้ใช้งานเดิมที่ลงทะเบียนแทน"),
        ({"registered_on": "26/11/2026"}, "พุทธศักราช"),
    ],
)
def test_registration_checks_scope_roles_and_dates(signed_in, ada, overrides, message):
    admin = signed_in(ada)
    response = admin.post(reverse("admin:core_user_add"), registration(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(first_name="มาลี").exists()


def test_reset_gives_a_new_password_forces_a_change_and_unlocks(client, signed_in, ada, alice):
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": alice.national_id, "password": "wrong-password-1"})
    assert client.post(reverse("login"), {"username": alice.national_id, "password": "x"}).status_code == 429

    admin = signed_in(ada)
    confirm = admin.get(reverse("admin:core_user_reset_password", args=[alice.pk]))
    assert confirm.status_code == 200
    password = one_time_password(admin.post(reverse("admin:core_user_reset_password", args=[alice.pk])))
    alice.refresh_from_db()
    assert alice.must_change_password
    admin.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": alice.national_id, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("password_change")


def test_officers_cannot_reach_the_admin(signed_in, alice):
    client = signed_in(alice)
    response = client.get(reverse("admin:core_user_reset_password", args=[alice.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
