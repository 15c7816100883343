"""A complaint's life in a real browser, by the people who handle it."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from cases.models import Complaint, Status
from tests.browser.conftest import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def action(page, label):
    page.get_by_test_id("actions").get_by_role("link", name=label).click()


def submit(page, label):
    page.get_by_role("button", name=label).click()


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "ลงพื้นที่.jpg"
    image = Image.new("RGB", (800, 600), (40, 120, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_from_the_counter_to_closure(open_as, alice, harry, tom, team, photo):
    # Alice records the complaint at the counter.
    counter = open_as(alice)
    counter.get_by_role("link", name="รับเรื่องร้องเรียน").first.click()
    field(counter, "ชื่อตัว").fill("สมใจ")
    field(counter, "ชื่อสกุล").fill("ทองดี")
    field(counter, "โทรศัพท์").first.fill("081 234 5678")
    field(counter, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(counter, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    field(counter, "เรื่อง").fill("บุกรุกที่สาธารณะริมคลองหนองหว้า")
    field(counter, "รายละเอียด").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง")
    field(counter, "ตำบลที่เกิดเหตุ").select_option(label="หน้าเมือง")
    field(counter, "ละติจูด").fill("13.536530")
    field(counter, "ลองจิจูด").fill("99.817100")
    submit(counter, "บันทึกรับเรื่อง")
    expect(counter.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
    expect(counter.locator("#incident-map .leaflet-marker-icon")).to_be_visible()
    case = Complaint.objects.get()
    case_url = f"/cases/{case.pk}/"

    # ... and proposes the Na Mueang team.
    action(counter, "เสนอมอบหมายชุดปฏิบัติการ")
    expect(field(counter, "ชุดปฏิบัติการประจำตำบล")).to_have_value(str(team.pk))
    submit(counter, "เสนอมอบหมายชุดปฏิบัติการ")
    expect(counter.get_by_test_id("case-status")).to_have_text("รออนุมัติมอบหมายชุดปฏิบัติการ")

    # Harry, the district head, approves.
    head = open_as(harry)
    head.goto(case_url)
    action(head, "อนุมัติการมอบหมาย")
    submit(head, "อนุมัติการมอบหมาย")
    expect(head.get_by_test_id("case-status")).to_have_text("มอบหมายแล้ว รอชุดปฏิบัติการรับเรื่อง")

    # Tom, on the team, accepts, reports with a photo, and proposes a resolution.
    member = open_as(tom)
    member.goto(case_url)
    action(member, "รับเรื่องไปดำเนินการ")
    submit(member, "รับเรื่องไปดำเนินการ")
    expect(member.get_by_test_id("case-status")).to_have_text("อยู่ระหว่างดำเนินการ")
    action(member, "รายงานความคืบหน้า")
    field(member, "ความคืบหน้า").fill("ลงพื้นที่พบผู้ถูกร้อง ยินยอมรื้อถอนภายใน 7 วัน")
    field(member, "ภาพถ่าย").set_input_files(str(photo))
    submit(member, "รายงานความคืบหน้า")
    report = member.get_by_test_id("progress-report")
    expect(report).to_contain_text("ยินยอมรื้อถอนภายใน 7 วัน")
    expect(report.get_by_role("img")).to_be_visible()
    action(member, "เสนอยุติเรื่อง")
    member.get_by_label("แก้ไขปัญหาได้").check()
    field(member, "สรุปผลการดำเนินการ").fill("ผู้ถูกร้องรื้อถอนเพิงพักแล้ว")
    submit(member, "เสนอยุติเรื่อง")
    expect(member.get_by_test_id("case-status")).to_have_text("รออนุมัติยุติเรื่อง")

    # Harry closes it as resolved.
    head.goto(case_url)
    action(head, "อนุมัติยุติเรื่อง")
    expect(head.get_by_label("แก้ไขปัญหาได้")).to_be_checked()
    submit(head, "อนุมัติยุติเรื่อง")
    expect(head.get_by_test_id("case-status")).to_have_text("ยุติเรื่องแล้ว")
    expect(head.get_by_test_id("case-outcome")).to_have_text("แก้ไขปัญหาได้")

    # The timeline shows every step, who took it and when.
    steps = head.get_by_test_id("timeline").locator("li")
    expected = [
        ("intake", alice), ("propose_assignment", alice), ("approve_assignment", harry), ("accept", tom),
        ("report_progress", tom), ("propose_resolution", tom), ("approve_closure", harry),
    ]  # fmt: skip
    expect(steps).to_have_count(len(expected))
    for index, (name, person) in enumerate(expected):
        step = steps.nth(index)
        expect(step).to_have_attribute("data-action", name)
        expect(step.get_by_test_id("event-actor")).to_have_text(person.get_full_name())
        expect(step.locator("time")).to_have_text(re.compile(r"^\d{1,2} \S+ 25\d\d \d\d:\d\d น\.$"))
    assert Complaint.objects.get().status == Status.CLOSED


def test_escalated_and_returned_to_the_district(open_as, case_in, harry, paula):
    case = case_in(Status.INVESTIGATING)
    head = open_as(harry)
    head.goto(f"/cases/{case.pk}/")
    action(head, "ส่งเรื่องถึงจังหวัด")
    submit(head, "ส่งเรื่องถึงจังหวัด")  # no reason yet
    expect(head.get_by_role("alert").filter(has_text="กรุณากรอกข้อมูลช่องนี้")).to_be_visible()
    field(head, "เหตุผล").fill("ผู้ถูกร้องเป็นเจ้าหน้าที่ระดับจังหวัด")
    submit(head, "ส่งเรื่องถึงจังหวัด")
    expect(head.get_by_test_id("case-status")).to_have_text("ส่งเรื่องถึงจังหวัด")

    province = open_as(paula)
    province.goto(f"/cases/{case.pk}/")
    action(province, "ส่งเรื่องคืนอำเภอ")
    field(province, "ข้อสั่งการถึงอำเภอ").fill("ให้อำเภอเชิญคู่กรณีมาไกล่เกลี่ยอีกครั้ง")
    submit(province, "ส่งเรื่องคืนอำเภอ")
    expect(province.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
    timeline = province.get_by_test_id("timeline")
    expect(timeline.locator("li[data-action=escalate]")).to_contain_text(harry.get_full_name())
    expect(timeline.locator("li[data-action=return_to_district]")).to_contain_text("ให้อำเภอเชิญคู่กรณี")
    expect(timeline.locator("li[data-action=return_to_district]")).to_contain_text(paula.get_full_name())


# --- The outcome choice and the head's closure approval, on a desktop and on a phone ----------


def screenshot(page, name: str) -> None:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def readable_choice(page, label: str, width: int) -> None:
    """The option is a full row: its label wide enough to read, inside the screen."""
    text = page.locator("label.form-check-label", has_text=label)
    box = text.bounding_box()
    assert box is not None and box["width"] > 60 and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    radio = page.get_by_role("radio", name=label)
    radio_box = radio.bounding_box()
    # The radio sits at the start of its own line, left of its label, not over the text below.
    assert radio_box["x"] < box["x"] and abs(radio_box["y"] - box["y"]) < box["height"], (radio_box, box)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_head_approves_closure_choosing_the_outcome_by_its_label(open_as, case_in, harry, tom, width):
    case = case_in(Status.INVESTIGATING)
    case_url = f"/cases/{case.pk}/"

    # Tom proposes: he picks the outcome by clicking its words.
    member = open_as(tom)
    member.set_viewport_size({"width": width, "height": 900})
    member.goto(case_url)
    action(member, "เสนอยุติเรื่อง")
    readable_choice(member, "แก้ไขปัญหาได้", width)
    member.locator("label.form-check-label", has_text="แก้ไขปัญหาได้").click()
    expect(member.get_by_role("radio", name="แก้ไขปัญหาได้")).to_be_checked()
    field(member, "สรุปผลการดำเนินการ").fill("ผู้ถูกร้องรื้อถอนเพิงพักแล้ว")
    submit(member, "เสนอยุติเรื่อง")
    expect(member.get_by_test_id("case-status")).to_have_text("รออนุมัติยุติเรื่อง")

    # Harry, the head, approves; he changes the outcome with a click on its label.
    head = open_as(harry)
    head.set_viewport_size({"width": width, "height": 900})
    head.goto(case_url)
    action(head, "อนุมัติยุติเรื่อง")
    expect(head.get_by_role("radio", name="แก้ไขปัญหาได้")).to_be_checked()
    expect(head.get_by_role("group", name=re.compile("ผลการดำเนินการ"))).to_be_visible()
    labels = head.locator("#id_outcome label.form-check-label")
    for index in range(labels.count()):
        readable_choice(head, labels.nth(index).inner_text(), width)
    other = labels.nth(1)
    other_text = other.inner_text()
    other.click()
    expect(head.get_by_role("radio", name=other_text)).to_be_checked()
    assert head.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(head, f"closure-approval-{width}")
    submit(head, "อนุมัติยุติเรื่อง")
    expect(head.get_by_test_id("case-status")).to_have_text("ยุติเรื่องแล้ว")
    expect(head.get_by_test_id("case-outcome")).to_have_text(other_text)
    screenshot(head, f"case-page-closed-{width}")
