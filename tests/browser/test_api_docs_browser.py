"""The API's interactive docs (Swagger UI from drf-spectacular-sidecar) in Chromium: the page
draws every operation from our own files, under our Content-Security-Policy (a refused
script, style or image fails the test: tests/browser/conftest.py)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_draw_the_api_under_the_policy(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto("/api/docs/")

    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI ran (its scripts carry the nonce) and read the schema
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ศูนย์ดำรงธรรม")
    expect(page.get_by_text("/api/v1/cases/{id}/actions/{name}/")).to_be_visible()
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/me/")
    operation.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    # nothing from anywhere but this site
    assert requested and all(url.startswith(live_server.url) or url.startswith("data:") for url in requested), [
        url for url in requested if not url.startswith(live_server.url)
    ]
