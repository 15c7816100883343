"""The repeat check at intake in a real browser (issue 11 §2).

Alice records Somchai's complaint about the encroachment on the canal bank. While she
types, the panel "อาจเป็นเรื่องซ้ำ" shows her own district's case about the same canal (a
whole card, linking to it) and Somchai's earlier case at Ban Pong (a minimal card: no name,
no text). She asks Ban Pong for access without leaving her form; Hank, Ban Pong's head,
grants it from his inbox; the case opens to her.
"""

import re

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent, Kind
from cases.models import Complaint
from cases.services import ComplainantData, RespondentData, case_intake
from core.thai import format_national_id, make_national_id
from permissions.models import AccessRequest
from tests.browser.conftest import ARTIFACTS, field
from tests.case_fixtures import intake_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOMCHAI_ID = make_national_id("310050012345")
REASON = "ผู้ร้องรายเดียวกัน ขอดูผลการดำเนินการของอำเภอบ้านโป่ง"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_typing_shows_the_three_relations_in_both_kinds_of_card_and_a_granted_request_opens_the_case(
    open_as, alice, bob, hank
):
    # given: Alice's own case about the canal, and Somchai's case at Ban Pong
    ours, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    theirs, _ = case_intake(
        actor=bob, district=bob.district,
        data=intake_data(
            subject="ถนนลูกรังชำรุดเป็นหลุมบ่อหน้าวัดหนองกบ",
            description="ฝนตกแล้วน้ำขังเป็นแอ่ง รถจักรยานยนต์ล้มบ่อยครั้ง",
            incident_subdistrict=bob.district.subdistricts.order_by("code").first(),
            complainants=[ComplainantData(title="นาย", first_name="สมชาย", last_name="ใจดี", national_id=SOMCHAI_ID)],
            respondents=[RespondentData(kind="agency", name="องค์การบริหารส่วนตำบลหนองกบ")],
        ),
    )  # fmt: skip
    # and a case about a contractor, from someone else, on another matter
    contractor, _ = case_intake(
        actor=alice, district=alice.district,
        data=intake_data(
            subject="ค้างจ่ายค่าจ้างคนงานก่อสร้างอาคารเรียน",
            description="ผู้รับเหมาไม่จ่ายค่าแรงคนงานมาสามเดือน",
            complainants=[ComplainantData(title="นาง", first_name="บุญมา", last_name="ศรีงาม")],
            respondents=[RespondentData(kind="company", name="บริษัท ก้าวหน้าก่อสร้าง จำกัด")],
        ),
    )  # fmt: skip
    page = open_as(alice)
    page.goto("/cases/new/")
    panel = page.get_by_test_id("repeat-panel")
    expect(panel.get_by_test_id("repeat-hint")).to_be_visible()
    expect(panel.locator("[aria-live=polite]")).to_have_count(1)

    # when: she types the complainant (his ID with dashes, as on the card) and the subject
    field(page, "เลขประจำตัวประชาชน").first.fill(format_national_id(SOMCHAI_ID))
    field(page, "ชื่อตัว").first.fill("สมชาย")
    field(page, "ชื่อสกุล").first.fill("ใจดี")
    field(page, "ประเภทเรื่องหลัก").select_option(label="ที่ดิน")
    field(page, "ประเภทเรื่องย่อย").select_option(label="บุกรุกที่ดินสาธารณประโยชน์")
    field(page, "เรื่อง").fill("บุกรุกที่สาธารณะริมคลองหนองหว้า")
    field(page, "รายละเอียด").fill("มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง ทำให้น้ำระบายไม่ได้")

    # and the contractor the canal's complainant also names, as the counter writes it
    page.get_by_role("button", name="เพิ่มผู้ถูกร้อง").click()
    field(page, "ประเภทผู้ถูกร้อง").select_option(label="บริษัท/ห้างร้าน")
    field(page, "ชื่อผู้ถูกร้อง").fill("บจก. ก้าวหน้าก่อสร้าง")

    # then: the contractor's case by its respondent (the abbreviation expanded)
    same_party = panel.locator(f'[data-testid=repeat-card][data-case-number="{contractor.number}"]')
    expect(same_party.locator("[data-relation=respondent]")).to_be_visible()
    # and both other cases, each as the card its place allows
    inside = panel.locator(f'[data-testid=repeat-card][data-case-number="{ours.number}"]')
    outside = panel.locator(f'[data-testid=repeat-card][data-case-number="{theirs.number}"]')
    expect(inside).to_be_visible()
    expect(outside).to_be_visible()
    expect(inside.get_by_test_id("repeat-case-link")).to_have_attribute("href", ours.get_absolute_url())
    expect(inside.get_by_test_id("repeat-subject")).to_contain_text("บุกรุกที่สาธารณะริมคลองหนองหว้า")
    expect(inside.locator("mark").first).to_be_visible()  # the shared text, highlighted
    expect(inside.locator("[data-relation=grievance]")).to_be_visible()
    expect(outside.get_by_test_id("repeat-outside")).to_be_visible()
    expect(outside.locator("[data-relation=complainant]")).to_contain_text("ผู้ร้องรายเดิม")
    expect(outside).to_contain_text("ศูนย์ดำรงธรรมอำเภอบ้านโป่ง")
    for secret in ("ใจดี", "หนองกบ", "ถนนลูกรัง"):
        expect(outside).not_to_contain_text(secret)
    expect(outside.locator("a[href^='/cases/']")).to_have_count(0)
    screenshot(page, "repeats-intake-panel")
    assert AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=alice.pk, complaint_id=theirs.pk).exists()
    assert not AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, complaint_id=ours.pk).exists()

    # when: she asks Ban Pong for access from the card, without leaving her form
    outside.get_by_test_id("repeat-ask-open").click()
    outside.get_by_test_id("repeat-ask-send").click()  # no reason yet: she is asked for one
    expect(outside.get_by_test_id("repeat-ask-error")).to_be_visible()
    assert not AccessRequest.objects.exists()
    outside.get_by_label("เหตุผลที่ขอเข้าถึงเรื่อง").fill(REASON)
    outside.get_by_test_id("repeat-ask-send").click()
    expect(outside.get_by_test_id("repeat-ask-sent")).to_be_visible()
    expect(field(page, "เรื่อง")).to_have_value("บุกรุกที่สาธารณะริมคลองหนองหว้า")  # her typing is all there
    request = AccessRequest.objects.get()
    assert (request.requested_by, request.complaint, request.reason) == (alice, theirs, REASON)

    # Saving the intake goes on as ever.
    field(page, "ตำบลที่เกิดเหตุ").select_option(label="หน้าเมือง")
    page.get_by_role("button", name="บันทึกรับเรื่อง").click()
    expect(page.get_by_test_id("case-status")).to_have_text("รับเรื่องแล้ว")
    assert Complaint.objects.filter(district=alice.district).count() == 3

    # Until Hank answers, Bob's case is not hers to open.
    assert page.goto(theirs.get_absolute_url()).status == 404

    # when: Hank grants it from his inbox, with the expiry he is offered
    head = open_as(hank)
    head.goto("/inbox/")
    box = head.get_by_test_id("access-requests-box")
    expect(box).to_contain_text(theirs.number)
    box.get_by_role("link", name=theirs.number).click()
    expect(head.get_by_test_id("request-reason")).to_have_text(REASON)
    head.get_by_test_id("grant").click()
    expect(head.get_by_test_id("request-state")).to_contain_text("อนุญาตแล้ว")
    screenshot(head, "repeats-access-granted")

    # then: the case opens to Alice, and her notice says so
    assert page.goto(theirs.get_absolute_url()).status == 200
    expect(page.get_by_test_id("case-status")).to_be_visible()
    page.goto("/inbox/notifications/")
    expect(page.get_by_test_id("notifications")).to_contain_text(re.compile("ได้รับอนุญาตแล้ว"))
