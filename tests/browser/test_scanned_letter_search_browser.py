"""Issue 16's proof in a real browser, with the real Thai OCR: Alice adds a three-page scanned
letter to her case; its pages are read in the background (one task a page, after the commit);
a word that is only on page 2 finds the case in the case list, the passage shown with the word
highlighted and the document's page named; and the searchable PDF's page 2 gives its text back."""

import subprocess
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from documents.models import Document
from tests.documents.scans import pdf_of, thai_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = (
    "เรื่อง ขอให้ตรวจสอบการบุกรุกที่สาธารณะ\nเรียน นายอำเภอเมืองราชบุรี\n",
    "ชาวบ้านพบจระเข้ในคลองชลประทาน\nขอให้เจ้าหน้าที่มาช่วยเหลือ\n",
    "จึงเรียนมาเพื่อโปรดพิจารณา\nขอแสดงความนับถือ\n",
)
WORD = "จระเข้"  # on page 2 only


def test_a_word_of_page_two_finds_the_case_and_shows_where(open_as, alice, new_case, tmp_path):
    scan = pdf_of(*(thai_page(text, dpi=200, pt=18) for text in PAGES), dpi=200)
    (tmp_path / "หนังสือ 3 หน้า.pdf").write_bytes(scan)
    desk = open_as(alice)
    desk.goto(new_case.get_absolute_url())
    panel = desk.get_by_test_id("documents-panel")
    panel.get_by_label("ไฟล์สแกน (PDF, TIFF, JPEG, PNG)").set_input_files(str(tmp_path / "หนังสือ 3 หน้า.pdf"))
    panel.get_by_role("button", name="เพิ่มเอกสารสแกน").click()
    row = desk.get_by_test_id("document").filter(has_text="หนังสือ 3 หน้า.pdf")
    expect(row).to_contain_text("3 หน้า")
    # The panel asks again while the pages are read, and shows the document read.
    expect(row.get_by_test_id("document-status")).to_have_attribute("data-status", "done", timeout=120_000)
    document = Document.objects.get()
    assert document.pages.count() == 3 and WORD in document.pages.get(number=2).text

    desk.goto(f"/cases/?q={quote(WORD)}")
    found = desk.get_by_test_id("search-passage")
    expect(found).to_have_count(1)
    expect(found.get_by_test_id("passage-source")).to_contain_text("หน้า 2")
    expect(found.locator("mark")).to_have_text(WORD)
    expect(desk.get_by_role("link", name=new_case.number)).to_be_visible()

    pdf = tmp_path / "searchable.pdf"
    pdf.write_bytes(b"".join(document.searchable_pdf.open("rb").chunks()))
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-f", "2", "-l", "2", "-enc", "UTF-8", str(pdf), "-"],  # noqa: S607
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    assert WORD in text and "ชลประทาน" in text
