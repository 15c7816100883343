"""A person's device tokens on the profile page (``{% device_tokens officer %}``), revoked
there or by the administrator."""

import datetime as dt
import re

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from api.models import DeviceToken
from audit.models import AuditEvent, Kind

pytestmark = pytest.mark.django_db


def render_tokens(user) -> str:
    request = RequestFactory().get("/accounts/profile/")
    request.user = user
    return Template("{% load api_tags %}{% device_tokens officer %}").render(RequestContext(request, {"officer": user}))


def test_the_profile_lists_the_devices_with_their_last_use_and_a_revoke_button(device, tom, alice):
    device(tom, name="Samsung A15")
    device(tom, name="iPhone เก่า")
    device(alice, name="ของอลิส")
    old = DeviceToken.objects.get(name="iPhone เก่า")
    DeviceToken.objects.filter(pk=old.pk).update(
        revoked_at=timezone.now(), last_used_at=timezone.now() - dt.timedelta(days=2)
    )

    html = render_tokens(tom)

    assert "Samsung A15" in html and "iPhone เก่า" in html and "ของอลิส" not in html
    assert "ยังไม่เคยใช้" in html and "ยกเลิกแล้ว" in html
    running = DeviceToken.objects.get(name="Samsung A15")
    # a button for the running token only, posting with the CSRF token
    assert re.findall(r'action="([^"]+)"', html) == [reverse("api:revoke_token", args=[running.pk])]
    assert "csrfmiddlewaretoken" in html
    # the running token comes first
    assert html.index("Samsung A15") < html.index("iPhone เก่า")


def test_no_devices(tom):
    assert "ยังไม่มีอุปกรณ์ที่เข้าสู่ระบบ" in Template("{% load api_tags %}{% device_tokens officer %}").render(
        Context({"officer": tom})
    )


def test_tom_revokes_his_lost_phone_from_the_profile(device, signed_in, tom):
    phone = device(tom, name="โทรศัพท์ที่หาย")
    token = DeviceToken.objects.get()
    client = signed_in(tom)

    response = client.post(reverse("api:revoke_token", args=[token.pk]))

    assert response.status_code == 302 and response.url == reverse("profile")
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == tom
    assert phone.get("/api/v1/me/").status_code == 401
    assert AuditEvent.objects.filter(kind=Kind.ACCOUNT, detail__contains="device token revoked").exists()
    assert "โทรศัพท์ที่หาย" in client.get(reverse("profile")).content.decode()  # the message


def test_nobody_revokes_another_persons_token(device, signed_in, tom, alice):
    device(tom)
    token = DeviceToken.objects.get()

    response = signed_in(alice).post(reverse("api:revoke_token", args=[token.pk]))

    assert response.status_code == 404
    assert DeviceToken.objects.get().revoked_at is None


def test_revoking_takes_a_post_and_a_signed_in_user(client, device, signed_in, tom):
    device(tom)
    url = reverse("api:revoke_token", args=[DeviceToken.objects.get().pk])

    assert client.post(url).status_code == 302  # to the sign-in page
    assert signed_in(tom).get(url).status_code == 405
    assert DeviceToken.objects.get().revoked_at is None


def test_the_administrator_lists_and_revokes_tokens_and_never_sees_a_key(device, signed_in, ada, tom):
    phone = device(tom, name="Samsung A15")
    token = DeviceToken.objects.get()
    client = signed_in(ada)

    listing = client.get("/admin/api/devicetoken/").content.decode()
    page = client.get(f"/admin/api/devicetoken/{token.pk}/change/").content.decode()
    response = client.post("/admin/api/devicetoken/", {"action": "revoke", "_selected_action": [token.pk]})

    assert "Samsung A15" in listing and "Samsung A15" in page
    assert phone.key not in listing + page and token.digest not in listing + page
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == ada
    assert phone.get("/api/v1/me/").status_code == 401


def test_the_admin_adds_no_token(signed_in, ada):
    assert signed_in(ada).get("/admin/api/devicetoken/add/").status_code == 403
