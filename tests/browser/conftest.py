"""Playwright driving Debian's Chromium against pytest-django's live server.

We never download Playwright's own browsers (the network is closed): the
system Chromium is launched through ``executable_path``. A failing test leaves a
full-page screenshot in ``var/test-artifacts/``. A page that breaks its
Content-Security-Policy (Chromium logs every refused script, style or image)
fails the test that opened it.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling Google's hosts, which the closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long an action or an expect() waits for the page before failing. Far above
# what any step takes, so that a machine loaded by other jobs (CI beside
# stress-ng) is slow, not red: a passing step returns as soon as the page is ready.
TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)


def watch_csp(page, violations: list[str]) -> None:
    """Collect the Content-Security-Policy violations Chromium reports on ``page``."""

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


def assert_no_csp_violations(violations: list[str], request) -> None:
    failed = getattr(request.node, "report_call", None)
    if failed is None or not failed.failed:
        assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs the Debian package 'chromium'")
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install Debian's 'chromium' (make sysdeps) to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    violations = []
    watch_csp(page, violations)
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")
    context.close()
    assert_no_csp_violations(violations, request)


@pytest.fixture
def sign_in(page):
    """Sign in through the login page as a person would."""
    from tests.conftest import PASSWORD

    def sign_in(user, national_id=None, password=PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("เลขประจำตัวประชาชน").fill(national_id or user.national_id)
        page.get_by_label("รหัสผ่าน").fill(password)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()

    return sign_in


@pytest.fixture
def open_as(browser, live_server, request):
    """Return a function that opens a signed-in browser window for a person.

    Each person gets a browser context of their own, as if on their own computer.
    """
    from tests.conftest import PASSWORD

    pages = []
    violations = []

    def open_as(user, password=PASSWORD):
        context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        watch_csp(page, violations)
        page.goto("/accounts/login/")
        page.get_by_label("เลขประจำตัวประชาชน").fill(user.national_id)
        page.get_by_label("รหัสผ่าน").fill(password)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url("**/")
        pages.append((user, page))
        return page

    yield open_as
    failed = getattr(request.node, "report_call", None)
    for index, (user, page) in enumerate(pages):
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            path = ARTIFACTS / f"{request.node.name}-{index}-{user.national_id}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failure: {path}")
        page.context.close()
    assert_no_csp_violations(violations, request)


def field(page, label: str):
    """The form control labelled ``label`` (the label may carry a required mark)."""
    import re

    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))
