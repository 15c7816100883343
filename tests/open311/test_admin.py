"""Ada registers an app in the admin: its api_key is shown once, kept as a digest only,
replaced at will; the app cannot be deleted once registered."""

import hashlib
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from open311 import services
from open311.models import Client

pytestmark = pytest.mark.django_db


def shown_key(response) -> str:
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return re.search(r'data-testid="api-key">([^<]+)<', response.content.decode()).group(1)


def test_ada_registers_an_app_and_sees_its_key_once(signed_in, ada):
    admin = signed_in(ada)

    response = admin.post(
        reverse("admin:open311_client_add"),
        {"name": "ชาวบ้านแจ้งเหตุ", "contact": "dev@chaoban.example", "is_active": "on"},
    )

    key = shown_key(response)
    app = Client.objects.get()
    assert services.client_for_key(key) == app
    assert app.key_hash == hashlib.sha256(key.encode()).hexdigest() and key.startswith(app.key_prefix)
    assert key not in (app.key_hash, app.key_prefix, app.name, app.contact)
    # The change page never shows it again.
    assert key not in admin.get(reverse("admin:open311_client_change", args=[app.pk])).content.decode()
    row = AuditEvent.objects.get(kind="settings_change")
    assert "ชาวบ้านแจ้งเหตุ" in row.detail and key not in str(row.after) and app.key_hash not in str(row.after)


def test_a_new_key_stops_the_old_one_at_once(signed_in, ada):
    app, old = services.register_client(name="ชาวบ้านแจ้งเหตุ")
    admin = signed_in(ada)
    page = reverse("admin:open311_client_new_key", args=[app.pk])

    assert "api_key เดิมจะใช้ไม่ได้ทันที" in admin.get(page).content.decode()  # asks first
    assert services.client_for_key(old) == app
    new = shown_key(admin.post(page))

    assert new != old
    assert services.client_for_key(old) is None and services.client_for_key(new) == app
    assert "new api_key" in AuditEvent.objects.get(kind="settings_change").detail


def test_a_stopped_app_s_key_no_longer_works_and_no_app_is_deleted(signed_in, ada):
    app, key = services.register_client(name="ชาวบ้านแจ้งเหตุ")
    admin = signed_in(ada)

    admin.post(reverse("admin:open311_client_change", args=[app.pk]), {"name": app.name, "contact": ""})

    assert services.client_for_key(key) is None
    assert admin.get(reverse("admin:open311_client_delete", args=[app.pk])).status_code == 403


def test_officers_do_not_reach_the_apps(signed_in, alice):
    app, _key = services.register_client(name="ชาวบ้านแจ้งเหตุ")

    response = signed_in(alice).get(reverse("admin:open311_client_new_key", args=[app.pk]))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
