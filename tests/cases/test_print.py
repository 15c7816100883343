"""The printable case record and the complainant's receipt (ใบรับเรื่อง)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.services import ComplainantData, case_intake
from core.thai import format_date
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def confidential_case(alice):
    case, _ = case_intake(
        actor=alice,
        district=alice.district,
        data=intake_data(complainants=[ComplainantData(first_name="ลับเฉพาะ", last_name="ผู้ร้อง", is_confidential=True)]),
    )
    return case


def test_the_receipt_has_what_the_complainant_needs(new_case, alice, signed_in):
    alice.office_phone = "032 337 123"
    alice.save()

    response = signed_in(alice).get(reverse("cases:receipt", args=[new_case.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert new_case.number in html
    assert format_date(new_case.received_on, long=True) in html  # Buddhist era, e.g. 2 ธันวาคม 2569
    assert str(new_case.received_on.year + 543) in html
    assert new_case.tracking_code_display in html
    assert "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรี จังหวัดราชบุรี" in html
    assert "032 337 123" in html
    assert "ขั้นตอนต่อไป" in html
    assert "<title>ใบรับเรื่อง " in html


def test_the_receipt_is_printed_from_the_case_page_by_the_centers_staff(new_case, alice, tom, team, signed_in):
    page = signed_in(alice).get(new_case.get_absolute_url()).content.decode()
    assert reverse("cases:receipt", args=[new_case.pk]) in page
    assert reverse("cases:print", args=[new_case.pk]) in page


@pytest.mark.parametrize("person", ["paula", "audrey", "bob"])
def test_the_receipt_is_for_the_counter_only(person, new_case, request, signed_in):
    response = signed_in(request.getfixturevalue(person)).get(reverse("cases:receipt", args=[new_case.pk]))

    assert response.status_code in (403, 404)
    assert new_case.tracking_code_display.encode() not in response.content


def test_the_printed_record_masks_a_confidential_complainant_for_a_non_handler(confidential_case, paula, signed_in):
    response = signed_in(paula).get(reverse("cases:print", args=[confidential_case.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "ลับเฉพาะ" not in html
    assert "ปกปิดข้อมูลผู้ร้อง" in html
    assert confidential_case.subject in html


def test_the_printed_record_shows_and_logs_the_name_to_the_handler(confidential_case, alice, signed_in):
    before = AuditEvent.objects.count()

    html = signed_in(alice).get(reverse("cases:print", args=[confidential_case.pk])).content.decode()

    assert "ลับเฉพาะ" in html
    assert AuditEvent.objects.count() > before


def test_the_print_pages_load_the_print_stylesheet_and_hide_the_application(new_case, alice, signed_in):
    client = signed_in(alice)
    for name in ("cases:print", "cases:receipt"):
        html = client.get(reverse(name, args=[new_case.pk])).content.decode()
        assert 'href="/static/css/print.css" media="print"' in html
        assert "data-print-hide" in html and "data-print" in html
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "print.css").read_text()
    assert "body > header" in css and "form" in css


def test_the_printed_record_lists_the_files_with_their_descriptions(new_case, alice, signed_in):
    from cases.models import Attachment

    Attachment.objects.create(
        complaint=new_case, kind="document", file="cases/x/a.pdf", original_name="หนังสือ.pdf",
        content_type="application/pdf", size=10, sha256="0" * 64, description="สำเนาโฉนดที่ดิน", uploaded_by=alice,
    )  # fmt: skip

    html = signed_in(alice).get(reverse("cases:print", args=[new_case.pk])).content.decode()

    assert "หนังสือ.pdf — สำเนาโฉนดที่ดิน" in html
