"""The Content-Security-Policy in a real browser: the pages keep working, and nothing is refused.

Every browser test fails on a logged violation (tests/browser/conftest.py); these
walk the pages with the most moving parts: the sign-in page, intake (its scripts
and the sub-district fetch), the case page's map, and the admin.
"""

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, assert_no_csp_violations, field, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_comes_with_the_policy(page):
    response = page.goto("/accounts/login/")

    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    expect(page.get_by_role("button", name="เข้าสู่ระบบ")).to_be_visible()


def test_intake_scripts_and_the_case_map_run_under_the_policy(open_as, alice):
    page = open_as(alice)
    page.goto("/cases/new/")

    # the intake page's own script: the "other" category toggle and added rows
    page.get_by_role("button", name="เพิ่มผู้ร้อง").click()
    expect(page.locator("[data-formset=complainant] [data-party]")).to_have_count(2)
    page.get_by_test_id("remove-complainant").nth(1).click()
    # the sub-districts of another district come from a same-origin fetch
    page.locator("#id_incident_district").select_option("7005")
    expect(page.locator("#id_incident_subdistrict option")).not_to_have_count(0)
    page.locator("#id_incident_district").select_option("7001")
    expect(page.locator("#id_incident_subdistrict option", has_text="หน้าเมือง")).to_have_count(1)

    field(page, "ชื่อตัว").first.fill("สมใจ")
    field(page, "ชื่อสกุล").first.fill("ทองดี")
    field(page, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(page, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    field(page, "เรื่อง").fill("บุกรุกที่สาธารณะริมคลองหนองหว้า")
    field(page, "รายละเอียด").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง")
    field(page, "ตำบลที่เกิดเหตุ").select_option(label="หน้าเมือง")
    field(page, "ละติจูด").fill("13.536530")
    field(page, "ลองจิจูด").fill("99.817100")
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()

    # the case page draws the incident with Leaflet (its script, images and inline styles)
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
    expect(page.locator("#incident-map .leaflet-marker-icon")).to_be_visible()


def test_the_admin_works_under_the_policy(open_as, ada):
    page = open_as(ada)

    # the index, a change list without actions (it has an inline <style>), a form with the admin's scripts
    for path in ["/admin/", "/admin/audit/auditevent/", "/admin/core/user/add/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator("#content h1, #content-main").first).to_be_visible()
    # the admin's own script ran: it wires the sidebar toggle
    expect(page.locator("#toggle-nav-sidebar")).to_be_attached()


def test_an_inline_script_without_the_nonce_is_refused(browser, live_server, request):
    # given the sign-in page, watched as every test's page is
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    violations = []
    watch_csp(page, violations)
    page.goto("/accounts/login/")

    # when a script without the nonce is injected (as an attacker's markup would be)
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text) as refusal:
        with contextlib.suppress(PlaywrightError):  # Playwright may report the refused tag as an error too
            page.add_script_tag(content="document.body.dataset.injected = 'yes';")

    # then it did not run, Chromium said why, and the watch every browser test has saw it
    assert "script-src" in refusal.value.text
    assert page.evaluate("document.body.dataset.injected") is None
    context.close()
    assert violations
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        assert_no_csp_violations(violations, request)
