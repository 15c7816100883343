"""The progress letter (หนังสือแจ้งความคืบหน้า): Alice, district officer of Mueang
Ratchaburi, prints one for Somjai, who has no e-mail, from the case page: a Thai
official letter in PDF, read back with pdftotext. Only the center's own staff print
it; a confidential complainant's letter only those who may see who she is; every
letter printed is in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from cases import services
from cases.services import ComplainantData
from citizens.models import CenterContact
from citizens.notices.letter import default_signer
from core.models import District
from core.thai import format_be_input, format_date, to_thai_digits
from tests.audit.helpers import pdf_text
from tests.case_fixtures import intake_data
from tests.workflows.helpers import fresh

pytestmark = pytest.mark.django_db

SOMJAI = ComplainantData(title="นาง", first_name="สมใจ", last_name="ทองดี", phone="0812345678")
SECRET = ComplainantData(title="นางสาว", first_name="ลับ", last_name="เฉพาะ", is_confidential=True)
NAMELESS = ComplainantData(is_anonymous=True)
ADDRESS = "ที่ว่าการอำเภอเมืองราชบุรี ถนนอำเภอ ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี 70000"


@pytest.fixture
def center(geography):
    return CenterContact.objects.create(
        province_id="70", district=District.objects.get(code="7001"), phone="032 337 777",
        email="damrongdham.muang@ratchaburi.go.th", address=ADDRESS,
    )  # fmt: skip


@pytest.fixture
def investigated(alice, harry, tom, team, center, django_capture_on_commit_callbacks):
    """Somjai's case, sent to Tom's team, who took it and reported twice."""
    with django_capture_on_commit_callbacks(execute=True):
        case, _ = services.case_intake(
            actor=alice, district=alice.district, data=intake_data(complainants=[SOMJAI, SECRET, NAMELESS])
        )
        services.case_propose_assignment(actor=alice, case=case, team=team)
        services.case_approve_assignment(actor=harry, case=fresh(case))
        services.case_accept(actor=tom, case=fresh(case), note="รับทราบ")
        services.case_report_progress(actor=tom, case=fresh(case), text="ลงพื้นที่ พบผู้ถูกร้องแล้ว")
        services.case_report_progress(actor=tom, case=fresh(case), text="นัดไกล่เกลี่ยวันศุกร์ที่บ้านกำนัน")
    return fresh(case)


def url(case) -> str:
    return reverse("public:progress_letter", args=[case.pk])


def letter_form(**values) -> dict:
    return {
        "number": "มท 0308.1/123",
        "date": format_be_input(timezone.localdate()),
        "signer_name": "นายวิชัย รักษ์ราษฎร์",
        "signer_position": "นายอำเภอเมืองราชบุรี",
        **values,
    }


def test_alice_finds_the_letter_on_the_case_page_and_tom_does_not(investigated, alice, tom, signed_in):
    page = signed_in(alice).get(investigated.get_absolute_url()).content.decode()
    assert f'href="{url(investigated)}"' in page

    page = signed_in(tom).get(investigated.get_absolute_url()).content.decode()
    assert url(investigated) not in page
    assert signed_in(tom).get(url(investigated)).status_code == 403


def test_the_form_offers_the_district_head_as_signer(investigated, alice, harry, signed_in):
    response = signed_in(alice).get(url(investigated))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["signer_name"].value() == harry.get_full_name()
    assert form["signer_position"].value() == harry.position
    assert default_signer(investigated) == (harry.get_full_name(), harry.position)
    # the heads' place is written for a head who has not typed his own
    harry.position = ""
    harry.save(update_fields=["position"])
    assert default_signer(investigated) == (harry.get_full_name(), "นายอำเภอเมืองราชบุรี")


def test_the_letter_reads_as_a_thai_official_letter(investigated, alice, tom, signed_in, tmp_path):
    client = signed_in(alice)
    somjai = investigated.complainants.get(first_name="สมใจ")

    response = client.post(url(investigated), letter_form(complainant=somjai.pk))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content, tmp_path)
    thai = to_thai_digits
    today = thai(format_date(timezone.localdate(), long=True)).replace(" ", "")
    received = investigated.received_on
    for part in (
        "ที่มท๐๓๐๘.๑/๑๒๓",
        "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรีจังหวัดราชบุรี",
        "ที่ว่าการอำเภอเมืองราชบุรีถนนอำเภอ",
        thai("70000"),
        today,
        "เรื่องแจ้งความคืบหน้าการดำเนินการเรื่องร้องเรียน",
        "เรียนนางสมใจทองดี",
        f"อ้างถึงเรื่องร้องเรียนเลขที่รับ{thai(investigated.number)}ลงวันที่{thai(str(received.day))}",
        "ส่งเรื่องให้ชุดปฏิบัติการประจำตำบลตรวจสอบในพื้นที่",
        "มีความคืบหน้าในการตรวจสอบและแก้ไขปัญหา",
        "(๒ครั้ง)",  # the two reports, told once
        "ขณะนี้สถานะเรื่องร้องเรียนของท่าน:อยู่ระหว่างตรวจสอบและแก้ไขปัญหา",
        investigated.tracking_code[:5],
        "จึงเรียนมาเพื่อโปรดทราบ",
        "ขอแสดงความนับถือ",
        "(นายวิชัยรักษ์ราษฎร์)",
        "นายอำเภอเมืองราชบุรี",
        "โทรศัพท์๐๓๒๓๓๗๗๗๗",
        "สายด่วนศูนย์ดำรงธรรม๑๕๖๗",
    ):
        assert part in text, part
    # her own letter: nobody else's name, no officer but the signer, no note
    for other in ("ลับ", "เฉพาะ", "สมหมาย", tom.first_name, alice.first_name, "ไกล่เกลี่ย", "ผู้ถูกร้องแล้ว"):
        assert other not in text, other
    # the order of the parts is the letter's
    order = ["ที่มท", "เรื่องแจ้ง", "เรียนนาง", "อ้างถึง", "ตามที่ท่าน", "จึงเรียนมา", "ขอแสดงความนับถือ", "(นายวิชัย"]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order)


def test_printing_a_letter_is_audited(investigated, alice, harry, signed_in):
    somjai = investigated.complainants.get(first_name="สมใจ")
    secret = investigated.complainants.get(first_name="ลับ")

    signed_in(alice).post(url(investigated), letter_form(complainant=somjai.pk))
    signed_in(harry).post(url(investigated), letter_form(complainant=secret.pk, number="มท 0308.1/124"))

    rows = AuditEvent.objects.filter(complaint_id=investigated.pk, kind__in=[Kind.EXPORT, Kind.PERSONAL_DATA_VIEW])
    exports = rows.filter(kind=Kind.EXPORT).order_by("id")
    assert [(e.actor_id, e.detail) for e in exports] == [
        (alice.pk, f"progress_letter complainant:{somjai.pk} มท 0308.1/123"),
        (harry.pk, f"progress_letter complainant:{secret.pk} มท 0308.1/124"),
    ]
    # her name went out on paper: a view of her personal data, as the case page logs one
    assert rows.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=harry.pk, detail=f"complainant:{secret.pk}").exists()
    assert not rows.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=alice.pk).exists()


def test_a_confidential_complainants_letter_is_for_those_who_may_see_her(investigated, amy, harry, signed_in):
    secret = investigated.complainants.get(first_name="ลับ")

    # Amy, a colleague who is not handling the case, sees her masked: she is not offered
    page = signed_in(amy).get(url(investigated))
    assert [p.first_name for p in page.context["recipients"]] == ["สมใจ"]
    assert "ลับ" not in page.content.decode() and page.context["masked"] == 1
    refused = signed_in(amy).post(url(investigated), letter_form(complainant=secret.pk))
    assert refused.status_code == 400 and refused["Content-Type"].startswith("text/html")
    assert "กรุณาเลือกผู้รับหนังสือจากรายชื่อ" in refused.content.decode()
    assert "ลับ" not in refused.content.decode()

    # the head sees her, and may write to her
    page = signed_in(harry).get(url(investigated))
    assert [p.first_name for p in page.context["recipients"]] == ["สมใจ", "ลับ"]
    assert signed_in(harry).post(url(investigated), letter_form(complainant=secret.pk)).status_code == 200


def test_an_anonymous_complainant_has_no_letter(alice, signed_in, django_capture_on_commit_callbacks):
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[NAMELESS]))

    page = signed_in(alice).get(url(case))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="letter-nobody"' in html and 'data-testid="letter-form"' not in html
    assert "ไม่ประสงค์ออกนาม 1 ราย" in html


def test_others_may_not_print_it(investigated, bob, paula, carol, audrey, signed_in):
    assert signed_in(bob).get(url(investigated)).status_code == 404  # another district: not in sight
    for outsider in (paula, carol, audrey):  # see the case, but do not write to its complainant
        assert signed_in(outsider).get(url(investigated)).status_code == 403


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"number": ""}, "number", "กรุณากรอกเลขที่หนังสือ"),
        ({"number": "มท 0308.1 123"}, "number", "เลขที่หนังสือต้องมีรหัสหน่วยงานและเลขทะเบียนส่งคั่นด้วย /"),
        ({"date": "05/02/2025"}, "date", "กรุณากรอกปีเป็นพุทธศักราช"),
        ({"date": "01/01/2500"}, "date", "วันที่ของหนังสือต้องไม่ก่อนวันที่รับเรื่อง"),
        ({"signer_name": "  "}, "signer_name", "กรุณากรอกชื่อผู้ลงนาม"),
        ({"complainant": ""}, "complainant", "กรุณาเลือกผู้รับหนังสือ"),
    ],
)
def test_bad_input_gets_a_clear_message(investigated, alice, signed_in, values, field, message):
    somjai = investigated.complainants.get(first_name="สมใจ")
    response = signed_in(alice).post(url(investigated), letter_form(**{"complainant": somjai.pk, **values}))

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not AuditEvent.objects.filter(kind=Kind.EXPORT, complaint_id=investigated.pk).exists()


def test_a_typed_thi_is_not_printed_twice(investigated, alice, signed_in, tmp_path):
    somjai = investigated.complainants.get(first_name="สมใจ")
    response = signed_in(alice).post(url(investigated), letter_form(complainant=somjai.pk, number="ที่ มท ๐๓๐๘.๑/๙"))

    text = pdf_text(response.content, tmp_path)
    assert "ที่มท๐๓๐๘.๑/๙" in text and "ที่ที่" not in text


def test_a_closed_case_says_its_outcome(investigated, tom, harry, alice, signed_in, tmp_path):
    services.case_propose_resolution(actor=tom, case=investigated, outcome="resolved", summary="รื้อถอนแล้ว")
    services.case_approve_closure(actor=harry, case=fresh(investigated))
    somjai = investigated.complainants.get(first_name="สมใจ")

    text = pdf_text(signed_in(alice).post(url(investigated), letter_form(complainant=somjai.pk)).content, tmp_path)

    assert "ยุติเรื่องแล้ว:แก้ไขปัญหาเรียบร้อยแล้ว" in text and "รื้อถอนแล้ว" not in text


def test_the_letters_date_is_today_unless_typed(investigated, alice, signed_in):
    form = signed_in(alice).get(url(investigated)).context["form"]
    assert form["date"].value() == timezone.localdate()
    assert timezone.localdate() - investigated.received_on < dt.timedelta(days=1)


def test_a_center_without_its_contact_still_writes(bob, hank, signed_in, tmp_path):
    # Ban Pong has no CenterContact: its name with the province, and the hotline
    case, _ = services.case_intake(actor=bob, district=bob.district, data=intake_data(complainants=[SOMJAI]))
    somjai = case.complainants.get()

    response = signed_in(bob).post(url(case), letter_form(complainant=somjai.pk, signer_name=hank.get_full_name()))

    text = pdf_text(response.content, tmp_path)
    assert "ศูนย์ดำรงธรรมอำเภอบ้านโป่งจังหวัดราชบุรี" in text and "สายด่วนศูนย์ดำรงธรรม๑๕๖๗" in text
    assert "โทรศัพท์๐" not in text
