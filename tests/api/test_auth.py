"""Signing a device in and out: a token of its own, shown once and kept hashed, the web's
lockout and forced password change, and a revoked or expired token refused at once."""

import datetime as dt
import hashlib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import DeviceToken
from audit.models import AuditEvent, Kind
from core.thai import to_thai_digits
from tests.api.conftest import Device
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def sign_in(client, national_id, password=PASSWORD, device_name="Samsung A15 ของทอม", **extra):
    return client.post(
        TOKEN_URL,
        {"national_id": national_id, "password": password, "device_name": device_name},
        content_type="application/json",
        **extra,
    )


def test_tom_signs_his_phone_in_and_gets_a_token_of_its_own(client, tom, team):
    response = sign_in(client, tom.national_id)

    assert response.status_code == 201
    body = response.json()
    assert body["user"] == {
        "id": tom.pk,
        "name": tom.get_full_name(),
        "national_id": tom.national_id,
        "roles": ["team_member"],
        "scope_name": "อำเภอเมืองราชบุรี จังหวัดราชบุรี",
        "teams": [{"id": team.pk, "name": team.name}],
    }
    token = DeviceToken.objects.get(pk=body["token_id"])
    assert token.name == "Samsung A15 ของทอม" and token.user == tom
    # Only the digest is kept: the key was shown once.
    assert token.digest == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in str(DeviceToken.objects.values_list())
    assert token.expires_at - token.created_at == dt.timedelta(days=settings.API_TOKEN_DAYS)
    assert dt.datetime.fromisoformat(body["expires_at"]) == token.expires_at
    # The token works; the sign-in is in the audit log as the web's is.
    me = Device(body["token"]).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["id"] == tom.pk
    assert AuditEvent.objects.filter(kind=Kind.SIGN_IN, actor_id=tom.pk).exists()


def test_two_devices_get_two_tokens(client, tom):
    first = sign_in(client, tom.national_id, device_name="โทรศัพท์").json()
    second = sign_in(client, tom.national_id, device_name="แท็บเล็ต").json()

    assert first["token"] != second["token"]
    assert sorted(DeviceToken.objects.values_list("name", flat=True)) == ["แท็บเล็ต", "โทรศัพท์"]


def test_thai_digits_and_dashes_sign_in_too(client, tom):
    nid = tom.national_id
    typed = to_thai_digits(f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}")

    assert sign_in(client, typed).status_code == 201


def test_a_wrong_password_is_refused_in_thai_and_counted(client, tom):
    response = sign_in(client, tom.national_id, password="wrong-password-1")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert "เลขประจำตัวประชาชนหรือรหัสผ่านไม่ถูกต้อง" in response.json()["message"]
    assert not DeviceToken.objects.exists()
    assert AuditEvent.objects.get(kind=Kind.SIGN_IN_FAILED).detail == tom.national_id


def test_a_malformed_national_id_says_what_is_wrong(client):
    response = sign_in(client, "12345")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "13 หลัก" in response.json()["fields"]["national_id"][0]


def test_missing_fields_are_named(client):
    response = client.post(TOKEN_URL, {}, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"national_id", "password", "device_name"}


def test_repeated_failures_lock_out_as_on_the_web(client, tom):
    # given failures on the web's sign-in page, and one short of the limit
    client.post(reverse("login"), {"username": tom.national_id, "password": "wrong-password-1"})
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        sign_in(client, tom.national_id, password="wrong-password-1")

    # when the phone fails once more
    response = sign_in(client, tom.national_id, password="wrong-password-1")

    # then the national ID is locked out from this address, in Thai, the right password too
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "ระงับการเข้าสู่ระบบ" in response.json()["message"] and "15 นาที" in response.json()["message"]
    again = sign_in(client, to_thai_digits(tom.national_id))
    assert again.status_code == 429 and again.json()["code"] == "locked_out"
    assert not DeviceToken.objects.exists()
    assert AuditEvent.objects.filter(kind=Kind.LOCKOUT).exists()
    # and the web's page is locked too
    assert client.post(reverse("login"), {"username": tom.national_id, "password": PASSWORD}).status_code == 429


def test_a_lockout_is_per_address(client, tom):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, tom.national_id, password="wrong-password-1", REMOTE_ADDR="10.0.0.1")

    assert sign_in(client, tom.national_id, REMOTE_ADDR="10.0.0.2").status_code == 201


def test_a_user_who_must_change_the_password_gets_no_token(client, tom):
    tom.must_change_password = True
    tom.save()

    response = sign_in(client, tom.national_id)

    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    assert "เปลี่ยนรหัสผ่าน" in response.json()["message"]
    assert not DeviceToken.objects.exists()


def test_a_reset_password_stops_the_devices_until_it_is_changed(device, tom):
    phone = device(tom)
    tom.must_change_password = True  # an administrator's reset
    tom.save()

    response = phone.get("/api/v1/me/")

    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


def test_an_inactive_account_cannot_sign_in_nor_use_its_tokens(client, device, tom):
    phone = device(tom)
    tom.is_active = False
    tom.save()

    assert sign_in(client, tom.national_id).json()["code"] == "invalid_credentials"
    response = phone.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["code"] == "account_inactive"


def test_signing_out_revokes_the_token_at_once(device, tom):
    phone = device(tom)
    assert phone.get("/api/v1/me/").status_code == 200

    assert phone.delete(TOKEN_URL).status_code == 204

    response = phone.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert response["WWW-Authenticate"] == "Token"
    token = DeviceToken.objects.get()
    assert token.revoked_at is not None and token.revoked_by == tom
    assert AuditEvent.objects.filter(kind=Kind.SIGN_OUT, actor_id=tom.pk).exists()


def test_a_token_revoked_on_the_profile_page_gets_401_on_its_next_request(device, signed_in, tom):
    phone = device(tom)
    token = DeviceToken.objects.get()

    signed_in(tom).post(reverse("api:revoke_token", args=[token.pk]))

    assert phone.get("/api/v1/cases/").status_code == 401


def test_an_expired_token_gets_401(device, tom):
    phone = device(tom)
    DeviceToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = phone.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


@pytest.mark.parametrize("header", ["Token", "Token not-a-token", "Token a b", "Bearer x"])
def test_a_wrong_header_gets_401(client, header):
    response = client.get("/api/v1/me/", headers={"authorization": header})

    assert response.status_code == 401
    assert response.json()["code"] in ("token_invalid", "not_authenticated")


def test_signing_in_ignores_a_stale_token_left_on_the_phone(device, tom):
    phone = device(tom)
    phone.delete(TOKEN_URL)

    response = phone.client.post(
        TOKEN_URL,
        {"national_id": tom.national_id, "password": PASSWORD, "device_name": "โทรศัพท์"},
        content_type="application/json",
        headers={"authorization": f"Token {phone.key}"},
    )

    assert response.status_code == 201


def test_last_use_is_written_at_most_once_a_minute(device, tom, django_assert_num_queries):
    phone = device(tom)
    phone.get("/api/v1/me/")
    first = DeviceToken.objects.get().last_used_at
    assert first is not None

    phone.get("/api/v1/me/")
    assert DeviceToken.objects.get().last_used_at == first

    DeviceToken.objects.update(last_used_at=first - services.LAST_USED_STEP)
    phone.get("/api/v1/me/")
    assert DeviceToken.objects.get().last_used_at > first


def test_a_session_signed_in_on_the_web_reads_the_api_too(signed_in, tom):
    client = signed_in(tom)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200 and response.json()["id"] == tom.pk
    # but has no device token to sign out
    assert client.delete(TOKEN_URL).json()["code"] == "no_device_token"


def test_english_when_the_user_chose_it(client, tom):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["Content-Language"] == "en"
