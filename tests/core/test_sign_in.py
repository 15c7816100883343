"""Signing in with a national ID, lockout, the forced password change, sign-out."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.middleware import SlidingSessionMiddleware
from core.thai import to_thai_digits
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_alice_signs_in_with_her_national_id(client, alice):
    response = client.post(reverse("login"), {"username": alice.national_id, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "สวัสดี" in client.get(reverse("home")).content.decode()


def test_thai_digits_and_dashes_sign_in_too(client, alice):
    nid = alice.national_id
    typed = to_thai_digits(f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}")
    response = client.post(reverse("login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1700100000013", "หลักตรวจสอบ"),
        ("12345", "ต้องมี 13 หลัก"),
        ("17001abc00012", "ตัวเลขเท่านั้น"),
    ],
)
def test_login_form_explains_a_malformed_id(client, typed, message):
    response = client.post(reverse("login"), {"username": typed, "password": "whatever"})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    assert f'value="{typed}"' in page  # what was typed is kept


def test_wrong_password_gets_a_thai_message(client, alice):
    response = client.post(reverse("login"), {"username": alice.national_id, "password": "wrong-password-1"})
    assert "เลขประจำตัวประชาชนหรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_repeated_failures_lock_the_account_with_a_thai_message(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": alice.national_id, "password": "wrong-password-1"})
    response = client.post(reverse("login"), {"username": alice.national_id, "password": "wrong-password-1"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page
    assert "15 นาที" in page
    # Even the right password is refused while locked, also when typed in Thai digits.
    response = client.post(reverse("login"), {"username": to_thai_digits(alice.national_id), "password": PASSWORD})
    assert response.status_code == 429


def test_inactive_account_cannot_sign_in(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post(reverse("login"), {"username": alice.national_id, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(signed_in, alice):
    client = signed_in(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


class TestIdleSessions:
    """A session ends 30 minutes after its last use; using it pushes the end forward,
    with at most one write a minute (core.middleware.SlidingSessionMiddleware)."""

    @staticmethod
    def session_writes(client, monkeypatch, at: float) -> int:
        monkeypatch.setattr(SlidingSessionMiddleware, "clock", staticmethod(lambda: at))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("profile")).status_code == 200
        return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])

    def test_use_pushes_the_end_forward_once_a_minute(self, signed_in, alice, monkeypatch):
        assert settings.SESSION_COOKIE_AGE <= 30 * 60
        client = signed_in(alice)  # signing in wrote the session
        start = time.time()
        ends = Session.objects.get().expire_date
        assert self.session_writes(client, monkeypatch, start) == 0
        assert self.session_writes(client, monkeypatch, start + 30) == 0
        assert Session.objects.get().expire_date == ends
        assert self.session_writes(client, monkeypatch, start + 61) == 1
        moved = Session.objects.get().expire_date
        assert moved > ends
        assert self.session_writes(client, monkeypatch, start + 100) == 0
        assert self.session_writes(client, monkeypatch, start + 122) == 1
        assert Session.objects.get().expire_date > moved

    def test_an_idle_session_ends(self, signed_in, alice):
        client = signed_in(alice)
        assert client.get(reverse("profile")).status_code == 200
        Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
        response = client.get(reverse("profile"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


class TestForcedPasswordChange:
    @pytest.fixture
    def newcomer(self, alice):
        alice.must_change_password = True
        alice.save()
        return alice

    @pytest.mark.parametrize("url_name", ["home", "profile", "admin:index", "admin:core_user_changelist"])
    def test_no_other_page_is_reachable(self, signed_in, newcomer, url_name):
        client = signed_in(newcomer)
        response = client.get(reverse(url_name))
        assert response.status_code == 302
        assert response.url == reverse("password_change")

    def test_posting_elsewhere_is_refused_too(self, signed_in, newcomer):
        client = signed_in(newcomer)
        response = client.post(reverse("profile"), {"office_phone": "032 337 006"})
        assert response.url == reverse("password_change")
        newcomer.refresh_from_db()
        assert newcomer.office_phone == ""

    def test_the_change_page_explains_why(self, signed_in, newcomer):
        client = signed_in(newcomer)
        page = client.get(reverse("password_change")).content.decode()
        assert 'data-testid="must-change-password"' in page

    def test_changing_the_password_opens_the_system(self, signed_in, newcomer):
        client = signed_in(newcomer)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "Khao-Wang-2570x", "new_password2": "Khao-Wang-2570x"},
        )
        assert response.status_code == 302
        newcomer.refresh_from_db()
        assert not newcomer.must_change_password
        assert newcomer.check_password("Khao-Wang-2570x")
        assert client.get(reverse("home")).status_code == 200  # still signed in

    @pytest.mark.parametrize(
        ("new_password", "message"),
        [
            ("Ab1", "สั้นเกินไป"),
            ("98765432101234", "ตัวเลขทั้งหมด"),
            ("abcdefghijklmn", "ทั้งตัวอักษรและตัวเลข"),
            ("password123", "ใช้กันทั่วไป"),
            (PASSWORD, "ต้องไม่ซ้ำกับรหัสผ่านเดิม"),
        ],
    )
    def test_weak_passwords_are_refused_in_thai(self, signed_in, newcomer, new_password, message):
        client = signed_in(newcomer)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        newcomer.refresh_from_db()
        assert newcomer.must_change_password

    def test_a_password_containing_the_national_id_is_refused(self, signed_in, newcomer):
        client = signed_in(newcomer)
        new_password = f"Pw{newcomer.national_id}x"
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        )
        assert "เลขประจำตัวประชาชน" in response.content.decode()
        newcomer.refresh_from_db()
        assert newcomer.must_change_password


def test_profile_updates_contact_details(signed_in, alice):
    client = signed_in(alice)
    response = client.post(
        reverse("profile"), {"office_phone": "0 3233 7006", "mobile_phone": "081 234 5678", "email": ""}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.office_phone == "0 3233 7006"
    page = client.get(reverse("profile")).content.decode()
    assert alice.national_id_display in page


def test_profile_refuses_a_bad_email_and_keeps_the_old_values(signed_in, alice):
    client = signed_in(alice)
    response = client.post(reverse("profile"), {"office_phone": "032", "mobile_phone": "", "email": "not-an-email"})
    assert response.status_code == 200
    assert 'value="not-an-email"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.office_phone == ""
