"""The province → district picker in a real browser: choosing another province
reloads the districts (fetched, under the Content-Security-Policy), and the
sub-districts follow the district as before."""

import pytest
from playwright.sync_api import expect

from cases.models import Complaint
from tests.browser.conftest import field
from tests.browser.test_intake_browser import no_horizontal_scroll, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_an_incident_in_another_province_is_picked_province_district_subdistrict(open_as, alice, width):
    page = open_as(alice)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/cases/new/")
    province = page.locator("#id_incident_district_province")
    district = page.locator("#id_incident_district")
    subdistrict = page.locator("#id_incident_subdistrict")

    # The form opens at Alice's own district, among her province's districts only.
    expect(province).to_have_value("70")
    expect(district).to_have_value("7001")
    expect(district.locator("option", has_text="บ้านโป่ง")).to_have_count(1)
    expect(district.locator("option", has_text="เมืองกาญจนบุรี")).to_have_count(0)

    # Another province: its districts replace hers, and no sub-district is left chosen.
    province.select_option(label="กาญจนบุรี")
    expect(district.locator("option", has_text="เมืองกาญจนบุรี")).to_have_count(1)
    expect(district.locator("option", has_text="บ้านโป่ง")).to_have_count(0)
    expect(district).to_have_value("")
    expect(subdistrict.locator("option")).to_have_count(1)

    # The district brings its sub-districts, as it always did.
    district.select_option(label="เมืองกาญจนบุรี")
    expect(subdistrict.locator("option", has_text="บ้านเหนือ")).to_have_count(1)
    subdistrict.select_option(label="บ้านเหนือ")
    no_horizontal_scroll(page)
    screenshot(page, f"area-picker-{width}")

    field(page, "ชื่อตัว").first.fill("สมใจ")
    field(page, "ชื่อสกุล").first.fill("ทองดี")
    field(page, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(page, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    field(page, "เรื่อง").fill("บุกรุกที่สาธารณะริมแม่น้ำแคว")
    field(page, "รายละเอียด").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมแม่น้ำ")
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
    case = Complaint.objects.get()
    assert case.incident_subdistrict.district_id == "7101"
    assert case.district_id == "7001"  # recorded at her counter; the head may transfer it
