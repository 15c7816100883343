"""The OpenAPI document: generated without a warning or an error, valid OpenAPI 3, every
endpoint of the API in it; and its interactive docs served from our own files under our
Content-Security-Policy."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from tests.core.test_csp import assert_scripts_carry_the_nonce

pytestmark = pytest.mark.django_db


def test_the_schema_validates_with_no_warning(tmp_path):
    out = tmp_path / "schema.yaml"

    # --fail-on-warn: a warning (an unresolved type, a clashing name) fails the command
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "v1"
    assert set(schema["paths"]) == {
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/cases/{id}/timeline/",
        "/api/v1/cases/{id}/actions/{name}/",
        "/api/v1/cases/{id}/progress/",
        "/api/v1/cases/{id}/attachments/",
        "/api/v1/cases/{id}/attachments/{attachment_pk}/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/claim/",
        "/api/v1/tasks/{id}/release/",
        "/api/v1/notifications/",
        "/api/v1/notifications/read/",
        "/api/v1/categories/",
        "/api/v1/geography/provinces/",
        "/api/v1/geography/districts/",
        "/api/v1/geography/subdistricts/",
    }
    assert "deviceToken" in schema["components"]["securitySchemes"]


def test_the_schema_is_served(client):
    response = client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == 200
    assert response.json()["info"]["title"].startswith("API ระบบรับเรื่องร้องเรียน")


def test_the_docs_page_loads_only_our_files_and_its_scripts_carry_the_nonce(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    html = response.content.decode()
    directives = assert_scripts_carry_the_nonce(response)
    nonce = next(v for v in directives["script-src"] if v.startswith("'nonce-")).removeprefix("'nonce-").rstrip("'")
    tags = re.findall(r"<script\b[^>]*>", html)
    assert len(tags) == 3 and all(f'nonce="{nonce}"' in tag for tag in tags)
    # Swagger UI's files are the sidecar's, served as our static files: no CDN.
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/static/") for url in assets), assets
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url
    # no inline <style> (style-src-elem allows our files only)
    assert "<style" not in html
