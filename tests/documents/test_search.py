"""The case search reads the text of a case's scanned documents (documents.search): a
word on page 2 finds the case, and the list names the document and the page, with the
words marked; a document that moves takes its words along; a confidential complainant's
name in the letter is neither found nor shown."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import selectors
from cases.models import Complaint
from cases.selectors import CaseFilters
from cases.services import ComplainantData, case_intake
from documents.models import Document, Page
from documents.signals import document_changed
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db


def record(actor, subject: str, description: str = "", **overrides) -> Complaint:
    data = intake_data(subject=subject, description=description or subject, **overrides)
    case, _ = case_intake(actor=actor, district=actor.district, data=data)
    return case


def found(user, query: str) -> list[int]:
    return sorted(selectors.filtered_cases(user, CaseFilters(query=query)).values_list("pk", flat=True))


# --- Documents --------------------------------------------------------------------------


@pytest.fixture
def letter(alice, django_capture_on_commit_callbacks):
    """A case whose scanned letter says, on page 2, what its own fields do not."""
    case = record(alice, "ขอความช่วยเหลือ", "รายละเอียดตามหนังสือที่แนบ")
    document = Document.objects.create(
        complaint=case, district=case.district, original="documents/2026/12/letter.pdf",
        original_name="หนังสือร้องเรียน.pdf", content_type="application/pdf", size=1000, sha256="0" * 64,
        description="หนังสือของผู้ร้อง", page_count=2, status=Document.Status.DONE,
    )  # fmt: skip
    Page.objects.create(document=document, number=1, text="เรียน นายอำเภอ\nข้าพเจ้าขอร้องเรียนดังนี้")
    Page.objects.create(document=document, number=2, text="โรงงานปล่อยน้ำเสียลงลำห้วยสาธารณะ <ปลาตาย> เป็นจำนวนมาก")
    with django_capture_on_commit_callbacks(execute=True):
        document_changed.send(sender=Document, document=document)
    return case, document


def test_a_word_on_page_two_finds_the_case_and_names_the_page(letter, alice):
    case, document = letter
    assert found(alice, "น้ำเสีย") == [case.pk]

    page = selectors.case_list(alice, CaseFilters(query="น้ำเสีย"))
    passage = page.items[0].search_passage
    assert (passage.document, passage.page) == ("หนังสือของผู้ร้อง", 2)
    assert "<mark>น้ำเสีย</mark>" in passage.html
    assert "&lt;ปลาตาย&gt;" in passage.html  # everything else escaped


def test_the_list_shows_the_passage_and_the_page(letter, alice, signed_in):
    html = signed_in(alice).get("/cases/", {"q": "ลำห้วย"}).content.decode()
    shown = re.search(r'data-testid="search-passage">(.*?)</div>', html, re.S).group(1)
    assert "หนังสือของผู้ร้อง หน้า 2" in shown
    assert f'href="{reverse("documents:page", args=[letter[1].pk, 2])}"' in shown
    assert "<mark>ลำห้วย</mark>" in shown


def test_a_document_moved_to_another_case_moves_its_words(letter, alice, django_capture_on_commit_callbacks):
    case, document = letter
    other = record(alice, "เรื่องที่ถูกต้อง")
    Document.objects.filter(pk=document.pk).update(complaint=other)
    document.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        document_changed.send(sender=Document, document=document, previous_complaint_id=case.pk)
    assert found(alice, "น้ำเสีย") == [other.pk]


def test_a_confidential_name_is_not_found_and_the_letter_not_shown(alice, django_capture_on_commit_callbacks):
    hidden = ComplainantData(title="นาย", first_name="บุญเรือน", last_name="ชมชื่น", is_confidential=True)
    case = record(alice, "ร้องเรียนการเรียกรับเงิน", "นายบุญเรือนแจ้งว่าถูกเรียกรับเงินที่สำนักงาน", complainants=[hidden])
    document = Document.objects.create(
        complaint=case, original="documents/x.pdf", original_name="x.pdf", content_type="application/pdf",
        size=1, sha256="1" * 64, status=Document.Status.DONE,
    )  # fmt: skip
    Page.objects.create(document=document, number=1, text="ข้าพเจ้านายบุญเรือนชมชื่นถูกเรียกค่าใบอนุญาต ลงชื่อ บุญเรือน")
    with django_capture_on_commit_callbacks(execute=True):
        document_changed.send(sender=Document, document=document)

    for name in ("บุญเรือน", "ชมชื่น", "นายบุญเรือน ชมชื่น"):
        assert found(alice, name) == [], name
    # the case's own text: the name masked
    passage = selectors.case_list(alice, CaseFilters(query="สำนักงาน")).items[0].search_passage
    assert "<mark>สำนักงาน</mark>" in passage.html
    assert "บุญเรือน" not in passage.html and "•••" in passage.html
    # the letter's words find the case; its text is not shown in the list
    assert found(alice, "ค่าใบอนุญาต") == [case.pk]
    assert selectors.case_list(alice, CaseFilters(query="ค่าใบอนุญาต")).items[0].search_passage is None


def test_the_list_with_search_asks_the_same_queries_for_2_or_25_rows(
    alice, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(alice)

    def add(n):
        for _ in range(n):
            case = record(alice, "ขอความช่วยเหลือ")
            document = Document.objects.create(
                complaint=case, original="documents/x.pdf", original_name="x.pdf", content_type="application/pdf",
                size=1, sha256="2" * 64, status=Document.Status.DONE,
            )  # fmt: skip
            Page.objects.create(document=document, number=1, text="ถนนชำรุดเป็นหลุมบ่อ")
            with django_capture_on_commit_callbacks(execute=True):
                document_changed.send(sender=Document, document=document)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/cases/", {"q": "หลุมบ่อ"})
        assert response.status_code == 200
        return len(queries), response.content.decode().count('data-testid="search-passage"')

    add(2)
    client.get("/cases/", {"q": "หลุมบ่อ"})  # warm the per-process caches
    few, shown_few = count()
    add(23)
    full, shown_full = count()
    assert (shown_few, shown_full) == (2, 25)
    assert full == few
