"""What the audit rows show people: confidential names only to those the case page
shows them to (the page, its CSV and PDF, the log, the admin), and the case's
exports in Thai words, Buddhist-era dates and names rather than codes."""

import csv
import io

import pytest
from django.urls import reverse

from audit import events
from audit.models import AuditEvent, Kind
from cases import services
from cases.models import Complainant
from cases.services import ComplainantData
from tests.audit.helpers import closed_case, form_values, pdf_text
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db

SECRET = "ลับเฉพาะ"


@pytest.fixture
def secret_case(alice, audrey, signed_in):
    """A case with a confidential complainant, whose name the auditor has been shown once."""
    person = ComplainantData(is_confidential=True, title="นาง", first_name=SECRET, last_name="ปิดชื่อ")
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[person]))
    signed_in(audrey).get(case.get_absolute_url())
    return case


@pytest.fixture
def old_row(secret_case, audrey):
    """A "viewed personal data" row as written before rows held a reference: the name itself."""
    return events._append(Kind.PERSONAL_DATA_VIEW, actor=audrey, complaint=secret_case, detail="นางลับเฉพาะ ปิดชื่อ")


def test_a_personal_data_row_holds_a_reference_not_the_name(secret_case):
    person = Complainant.objects.get(complaint=secret_case)
    row = AuditEvent.objects.get(kind=Kind.PERSONAL_DATA_VIEW)
    assert row.detail == f"complainant:{person.pk}"
    assert SECRET not in row.content()


def test_the_province_head_reads_the_case_audit_masked(signed_in, pete, secret_case, old_row, tmp_path, export_file):
    # given Pete, who may open the history of a case that is not escalated but not see who complained
    client = signed_in(pete)
    page = client.get(reverse("audit:case", args=[secret_case.pk])).content.decode()
    csv_text = export_file(client, reverse("audit:case_csv", args=[secret_case.pk])).content.decode("utf-8")
    pdf = pdf_text(export_file(client, reverse("audit:case_pdf", args=[secret_case.pk])).content, tmp_path)
    # then neither the new row (a reference) nor the old one (a name) shows the name
    for text in (page, csv_text, pdf):
        assert SECRET not in text
        assert "ปกปิดข้อมูลผู้ร้อง" in text


def test_those_the_case_page_shows_the_name_to_read_it_in_the_audit(signed_in, harry, audrey, secret_case, old_row):
    page = signed_in(harry).get(reverse("audit:case", args=[secret_case.pk])).content.decode()
    assert "นางลับเฉพาะ ปิดชื่อ" in page
    log = signed_in(audrey).get(reverse("audit:log"), {"kind": Kind.PERSONAL_DATA_VIEW})
    shown = [detail for _event, detail, _changes in log.context["items"]]
    assert shown and set(shown) == {"นางลับเฉพาะ ปิดชื่อ"}


def test_the_log_csv_masks_for_a_reader_who_may_not_see(rf, pete, secret_case, old_row):
    from auditing.exports import kind_labels, log_rows
    from auditing.selectors import PersonalDataMask

    rows = list(
        log_rows(AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW), kind_labels(), PersonalDataMask(pete))
    )
    assert len(rows) == 2
    assert SECRET not in repr(rows)


def test_the_admin_neither_shows_nor_finds_the_name(signed_in, ada, secret_case, old_row):
    client = signed_in(ada)
    changelist = reverse("admin:audit_auditevent_changelist")
    page = client.get(changelist).content.decode()
    assert SECRET not in page and "ปกปิดข้อมูลผู้ร้อง" in page
    found = client.get(changelist, {"q": SECRET})
    assert found.status_code == 200
    assert list(found.context["cl"].result_list) == []
    # the action and the detail are still searched where they name no one
    assert client.get(changelist, {"q": "intake"}).context["cl"].result_list
    change = client.get(reverse("admin:audit_auditevent_change", args=[old_row.pk])).content.decode()
    assert SECRET not in change


def test_the_case_exports_read_in_thai(signed_in, audrey, alice, harry, tom, team, tmp_path, export_file):
    case, moments = closed_case(officer=alice, head=harry, member=tom, team=team)
    client = signed_in(audrey)
    client.get(reverse("audit:case", args=[case.pk]), form_values(moments["investigating"]))
    response = export_file(client, reverse("audit:case_csv", args=[case.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"))))
    header = next(row for row in rows if "การเปลี่ยนแปลง" in row and "รายละเอียด" in row)
    start = rows.index(header) + 1
    audit = rows[start : rows.index([], start)]
    details = [row[header.index("รายละเอียด")] for row in audit]
    changes = [row[header.index("การเปลี่ยนแปลง")] for row in audit]
    text = " ".join(details + changes)
    # Thai action labels, not codes; Thai field names and values, not JSON with English keys
    assert "อนุมัติการมอบหมาย" in details and "approve_assignment" not in text
    assert "{" not in text and '"status"' not in text and "assignment_pending" not in text
    assert any("สถานะ: รออนุมัติมอบหมายชุดปฏิบัติการ → มอบหมายแล้ว" in cell for cell in changes)
    # the district and the team by name, not by code or id
    intake = changes[details.index("รับเรื่อง")]
    assert alice.district.name_th in intake and alice.district.pk not in intake
    assert any(team.name in cell for cell in changes) and f": {team.pk} " not in text
    # the auditor's own look, in Thai with a Buddhist-era moment
    look = next(d for d in details if d.startswith("ประวัติและบันทึกการตรวจสอบของเรื่อง"))
    assert "as_of" not in look and str(moments["investigating"].year + 543) in look
    pdf = pdf_text(export_file(client, reverse("audit:case_pdf", args=[case.pk])).content, tmp_path)
    assert "อนุมัติการมอบหมาย" in pdf and "approve_assignment" not in pdf and "assignment_pending" not in pdf


def test_a_share_reads_with_the_district_by_name_and_a_buddhist_era_end(
    signed_in, audrey, harry, new_case, ban_pong, export_file
):
    import datetime as dt

    from django.utils import timezone

    from permissions.services import share_case

    until = timezone.localdate() + dt.timedelta(days=30)
    share_case(actor=harry, case=new_case, reason="ร่วมตรวจสอบพื้นที่", expires_on=until, district=ban_pong)
    response = export_file(signed_in(audrey), reverse("audit:case_csv", args=[new_case.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"))))
    grant = next(row for row in rows if "ให้สิทธิ์" in row)
    text = " ".join(grant)
    assert "สิทธิ์ดูเรื่อง →" in text and "view_complaint" not in text
    assert ban_pong.name_th in text and f": {ban_pong.pk}" not in text
    assert str(until.year + 543) in text and until.isoformat() not in text


def test_the_history_tables_escape_what_people_typed(signed_in, alice, audrey):
    # given a case whose subject holds markup, and an auditor's look at it from a browser
    # that calls itself markup (the page's rows render with Jinja2)
    case, _ = services.case_intake(
        actor=alice, district=alice.district, data=intake_data(subject="<script>alert(1)</script>ถนน")
    )
    client = signed_in(audrey)
    client.get(reverse("audit:case", args=[case.pk]), HTTP_USER_AGENT='<img src=x onerror="alert(2)">')
    page = client.get(reverse("audit:case", args=[case.pk])).content.decode()
    # then the page shows them as text, never as markup
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;ถนน" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page
