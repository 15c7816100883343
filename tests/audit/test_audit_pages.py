"""The auditors' pages: the audit log browser, its CSV export, and a case's history
("replay") with its exports. Who may open them, what they show, and that every
look an auditor takes is itself in the log."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from auditing import replay
from cases import services
from cases.models import Complainant, Status
from cases.services import ComplainantData
from core.thai import format_be_input, format_national_id, make_national_id
from tests.audit.helpers import closed_case, form_values, pdf_text, spread
from tests.case_fixtures import intake_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def story(alice, harry, tom, team):
    """A 7001 case taken to closure, with a moment of each stage."""
    return closed_case(officer=alice, head=harry, member=tom, team=team)


@pytest.fixture
def bobs_case(bob, ban_pong):
    case, _ = services.case_intake(actor=bob, district=ban_pong, data=intake_data(subject="ถนนชำรุดหน้าตลาดบ้านโป่ง"))
    return case


def rows_of(response):
    return response.context["page"].items


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"))))


def be(day: dt.date) -> str:
    return format_be_input(day)


# --- The log browser ----------------------------------------------------------------------


def test_auditor_sees_the_log_newest_first(signed_in, audrey, new_case, bobs_case):
    response = signed_in(audrey).get(reverse("audit:log"))
    assert response.status_code == 200
    page = response.content.decode()
    assert new_case.number in page and bobs_case.number in page
    assert "ดำเนินการกับเรื่อง" in page  # the kind's label, not its code
    ids = [row.pk for row in rows_of(response)]
    assert ids == sorted(ids, reverse=True)
    # The case number links to the case's history page.
    assert reverse("audit:case", args=[new_case.pk]) in page


def test_filters_by_actor_case_kind_and_date(signed_in, audrey, alice, bob, new_case, bobs_case):
    client = signed_in(audrey)
    url = reverse("audit:log")

    by_name = rows_of(client.get(url, {"actor": alice.first_name}))
    assert by_name and {row.actor_id for row in by_name} == {alice.pk}

    by_id = rows_of(client.get(url, {"actor": bob.national_id[-7:]}))
    assert by_id and {row.actor_id for row in by_id} == {bob.pk}

    by_case = rows_of(client.get(url, {"case": bobs_case.number}))
    assert by_case and {row.case_number for row in by_case} == {bobs_case.number}
    # A part of a number finds the cases whose numbers hold it; a whole number in Thai digits, its case.
    district, year, running = bobs_case.number.split("/")
    by_part = rows_of(client.get(url, {"case": f"{year}/{running[:4]}"}))
    assert {row.case_number for row in by_part} == {new_case.number, bobs_case.number}
    by_thai_digits = rows_of(
        client.get(url, {"case": bobs_case.number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))})
    )
    assert {row.pk for row in by_thai_digits} == {row.pk for row in by_case}
    assert not rows_of(client.get(url, {"case": f"{district}/{year}/999999"}))

    by_kind = rows_of(client.get(url, {"kind": Kind.TRANSITION}))
    assert {row.kind for row in by_kind} == {Kind.TRANSITION}
    assert {row.case_number for row in by_kind} == {new_case.number, bobs_case.number}

    today = timezone.localdate()
    assert rows_of(client.get(url, {"date_from": be(today), "date_to": be(today), "kind": Kind.TRANSITION}))
    assert not rows_of(client.get(url, {"date_from": be(today + dt.timedelta(days=1))}))
    assert not rows_of(client.get(url, {"date_to": be(today - dt.timedelta(days=1))}))


def test_the_log_pages_by_id_without_offset(signed_in, audrey, new_case):
    client = signed_in(audrey)
    for _ in range(3):
        client.get(reverse("audit:log"))  # each look is a row
    first = client.get(reverse("audit:log"), {"kind": Kind.AUDIT_VIEW})
    page = first.context["page"]
    assert page.older is None  # four rows fit on a page
    from auditing.selectors import log_page

    rows = AuditEvent.objects.all()
    one = log_page(rows, size=2)
    two = log_page(rows, after=str(one.older), size=2)
    assert [r.pk for r in one.items][-1] > [r.pk for r in two.items][0]
    back = log_page(rows, before=str(two.newer), size=2)
    assert [r.pk for r in back.items] == [r.pk for r in one.items]
    assert log_page(rows, after="not-a-number").items == log_page(rows).items

    # The page's own queries on the log: a LIMIT after an id, never OFFSET or COUNT.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("audit:log"), {"after": str(one.older), "actor": "ออเดรย์"}).status_code == 200
    on_log = [
        q["sql"].upper() for q in queries if "AUDIT_AUDITEVENT" in q["sql"].upper() and "SELECT" in q["sql"].upper()
    ]
    assert on_log and not [sql for sql in on_log if "OFFSET" in sql or "COUNT(" in sql]


def test_the_log_csv_is_excel_ready_and_filtered_and_logged(signed_in, audrey, new_case, bobs_case, export_file):
    client = signed_in(audrey)
    response = export_file(client, reverse("audit:log_csv"), {"case": new_case.number})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response.content)
    header, body = rows[0], rows[1:]
    assert "ประเภทเหตุการณ์" in header
    assert body and {row[header.index("เลขที่รับ")] for row in body} == {new_case.number}
    assert bobs_case.number not in "".join(",".join(row) for row in body)
    assert "ดำเนินการกับเรื่อง" in {row[header.index("ประเภทเหตุการณ์")] for row in body}
    year = str(timezone.localdate().year + 543)
    assert all(f"/{year} " in row[header.index("เวลา")] for row in body)  # Buddhist era
    # The request is logged with its filters, the download with the rows and the file's hash.
    requested, downloaded = AuditEvent.objects.filter(kind=Kind.EXPORT, actor_id=audrey.pk).order_by("id")
    assert requested.detail.startswith("audit_log_csv") and f"case={new_case.number}" in requested.detail
    assert f"({len(body)})" in downloaded.detail and response.export.sha256 in downloaded.detail
    assert response.export.rows == len(body)


def test_the_log_csv_neutralises_formulas(signed_in, audrey, rf, export_file):
    from audit import events

    request = rf.get("/", HTTP_USER_AGENT="=HYPERLINK(1)")
    request.user = audrey
    events.audit_viewed(request, what="=1+1")
    content = export_file(signed_in(audrey), reverse("audit:log_csv"), {"kind": Kind.AUDIT_VIEW}).content
    assert "'=1+1" in content.decode("utf-8")
    assert "'=HYPERLINK(1)" in content.decode("utf-8")


@pytest.mark.parametrize("person", ["alice", "harry", "tom", "bob", "paula", "pete", "carol", "ada"])
def test_non_auditors_get_403_on_the_log(signed_in, request, person):
    client = signed_in(request.getfixturevalue(person))
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.post(reverse("audit:log_csv")).status_code == 403


def test_the_menu_offers_the_log_to_auditors_only(signed_in, audrey, alice):
    assert reverse("audit:log") in signed_in(audrey).get(reverse("home")).content.decode()
    assert reverse("audit:log") not in signed_in(alice).get(reverse("home")).content.decode()


def test_a_district_auditor_reads_their_district_only(signed_in, alice, bob, new_case, bobs_case):
    auditor = UserFactory(first_name="ตรวจบ้านโป่ง", roles=["auditor"], district="7005")
    client = signed_in(auditor)
    numbers = {row.case_number for row in rows_of(client.get(reverse("audit:log"))) if row.case_number}
    assert numbers == {bobs_case.number}
    actors = {row.actor_id for row in rows_of(client.get(reverse("audit:log")))}
    assert alice.pk not in actors and bob.pk in actors
    assert client.get(reverse("audit:case", args=[new_case.pk])).status_code == 404
    assert client.get(reverse("audit:case", args=[bobs_case.pk])).status_code == 200


# --- The case's history -------------------------------------------------------------------


def test_the_history_shows_each_change_with_who_when_and_why(signed_in, audrey, harry, tom, story):
    case, _moments = story
    response = signed_in(audrey).get(reverse("audit:case", args=[case.pk]))
    assert response.status_code == 200
    entries = response.context["record"].history
    approval = next(e for e in entries if e.reason == "approve_assignment")
    assert approval.who == harry.get_full_name()
    assert approval.reason_label == "อนุมัติการมอบหมาย"
    assert approval.at is not None
    status = next(c for c in approval.changes if c.field == "สถานะ")
    assert (status.old, status.new) == ("รออนุมัติมอบหมายชุดปฏิบัติการ", "มอบหมายแล้ว รอชุดปฏิบัติการรับเรื่อง")
    proposal = next(e for e in entries if e.reason == "propose_assignment")
    assert any(c.field == "ชุดปฏิบัติการ" and c.old == "—" and c.new == "ชปต. ตำบลหน้าเมือง" for c in proposal.changes)
    closure = next(e for e in entries if e.reason == "approve_closure")
    assert any(c.field == "ผลการดำเนินการ" and c.new == "แก้ไขปัญหาได้" for c in closure.changes)
    # The parties and the progress report are in the timeline too, oldest first.
    models = [e.model for e in entries]
    assert {"เรื่องร้องเรียน", "ผู้ร้อง", "ผู้ถูกร้อง", "รายงานความคืบหน้า"} <= set(models)
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    page = response.content.decode()
    assert "อนุมัติการมอบหมาย" in page and harry.get_full_name() in page
    assert "รออนุมัติมอบหมายชุดปฏิบัติการ" in page and "มอบหมายแล้ว รอชุดปฏิบัติการรับเรื่อง" in page
    # The transitions, the workflow tasks and the case's audit rows.
    assert [e.action for e in response.context["record"].events] == [
        "intake", "propose_assignment", "approve_assignment", "accept", "report_progress",
        "propose_resolution", "approve_closure",
    ]  # fmt: skip
    assert response.context["record"].workflow_steps
    kinds = {row.kind for row in response.context["record"].audit_rows}
    assert {Kind.TRANSITION, Kind.AUDIT_VIEW} <= kinds
    assert tom.get_full_name() in page


@pytest.mark.parametrize(
    ("person", "status"),
    [("audrey", 200), ("harry", 200), ("pete", 200), ("alice", 403), ("paula", 403), ("carol", 403), ("bob", 404)],
)
def test_who_may_open_a_case_history(signed_in, request, new_case, person, status):
    client = signed_in(request.getfixturevalue(person))
    assert client.get(reverse("audit:case", args=[new_case.pk])).status_code == status
    for name in ("audit:case_csv", "audit:case_pdf"):  # asked for by a button: a redirect to the export
        expected = 302 if status == 200 else status
        assert client.post(reverse(name, args=[new_case.pk])).status_code == expected, name


def test_the_case_page_links_to_the_history_for_those_who_may_open_it(signed_in, new_case, harry, alice, audrey):
    link = reverse("audit:case", args=[new_case.pk])
    assert link in signed_in(harry).get(new_case.get_absolute_url()).content.decode()
    assert link in signed_in(audrey).get(new_case.get_absolute_url()).content.decode()
    page = signed_in(alice).get(new_case.get_absolute_url()).content.decode()
    assert link not in page and "ประวัติและบันทึกการตรวจสอบ" not in page


def test_the_case_as_of_three_moments(audrey, team, story):
    case, moments = story

    def at(name):
        return replay.case_as_of(case, moments[name], reveal=True)

    assert not at("before").exists
    received = at("received")
    assert (received.complaint.status, received.complaint.team_id) == (Status.RECEIVED, None)
    assert [e.action for e in received.events] == ["intake"]
    assigned = at("assigned")
    assert (assigned.complaint.status, assigned.complaint.team_id) == (Status.ASSIGNED, team.pk)
    assert assigned.reports == []
    investigating = at("investigating")
    assert (investigating.complaint.status, investigating.complaint.team_id) == (Status.INVESTIGATING, team.pk)
    assert investigating.complaint.outcome == ""
    assert [r.text for r in investigating.reports] == ["ลงพื้นที่พบผู้ถูกร้อง ยินยอมรื้อถอนภายใน 7 วัน"]
    assert [p.name for p in investigating.complainants] == ["นางสมใจ ทองดี"]
    assert [p.name for p in investigating.respondents] == ["นายสมหมาย ใจร้าย"]
    closed = at("closed")
    assert (closed.complaint.status, closed.complaint.outcome) == (Status.CLOSED, "resolved")


def test_the_as_of_form_rebuilds_the_case_at_the_minute_typed(signed_in, audrey, team, story):
    case, moments = story
    hour = dt.timedelta(hours=1)
    # Three hours between intake and assignment, and so on: minutes apart, as in real life.
    spread(case, [(moments["received"], 3 * hour), (moments["assigned"], 2 * hour), (moments["investigating"], hour)])
    client = signed_in(audrey)
    url = reverse("audit:case", args=[case.pk])
    expected = [
        (moments["received"] - 3 * hour, Status.RECEIVED, "—"),
        (moments["assigned"] - 2 * hour, Status.ASSIGNED, team.name),
        (moments["investigating"] - hour, Status.INVESTIGATING, team.name),
        (moments["closed"], Status.CLOSED, team.name),
    ]
    for moment, status, team_name in expected:
        response = client.get(url, form_values(moment))
        as_of = response.context["as_of"]
        assert as_of.exists and as_of.complaint.status == status, moment
        page = response.content.decode()
        assert f'data-testid="as-of-team">{team_name}<' in page
        assert str(Status(status).label) in page
    before = client.get(url, form_values(moments["before"] - 3 * hour - dt.timedelta(minutes=2)))
    assert before.context["as_of"].exists is False
    assert "ยังไม่มีเรื่องนี้ในระบบ" in before.content.decode()
    wrong = client.get(url, {"date": "31/02/2569", "time": "25:00"})
    assert wrong.status_code == 200 and wrong.context["as_of"] is None
    assert "ไม่มีวันที่นี้ในปฏิทิน" in wrong.content.decode()


def test_confidential_complainants_stay_masked_for_those_who_may_not_see(signed_in, alice, pete, audrey, export_file):
    national_id = make_national_id("310170020345")
    secret = ComplainantData(
        is_confidential=True, title="นาง", first_name="ลับเฉพาะ", last_name="ปิดชื่อ", national_id=national_id,
        phone="0899999999", address="99 หมู่ 9",
    )  # fmt: skip
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[secret]))
    person = Complainant.objects.get(complaint=case)
    person.phone = "0877777777"
    person.save()
    secrets = ["ลับเฉพาะ", "ปิดชื่อ", national_id, format_national_id(national_id), "0899999999", "0877777777", "99 หมู่ 9"]

    # The province head may open the history, but not see who complained (not escalated).
    client = signed_in(pete)
    url = reverse("audit:case", args=[case.pk])
    pages = [
        client.get(url).content.decode(),
        client.get(url, form_values(timezone.now())).content.decode(),
        export_file(client, reverse("audit:case_csv", args=[case.pk])).content.decode("utf-8"),
    ]
    for page in pages:
        for value in secrets:
            assert value not in page
    assert "ปกปิดข้อมูล" in pages[0] and "ปกปิดข้อมูลผู้ร้อง" in pages[1]

    # The auditor may.
    page = signed_in(audrey).get(url).content.decode()
    assert "ลับเฉพาะ" in page and "0877777777" in page


def test_every_auditor_view_and_export_is_logged(signed_in, audrey, story, export_file):
    case, moments = story
    client = signed_in(audrey)

    def views():
        return list(AuditEvent.objects.filter(kind=Kind.AUDIT_VIEW, actor_id=audrey.pk).order_by("id"))

    client.get(reverse("audit:log"), {"kind": Kind.TRANSITION})
    client.get(reverse("audit:case", args=[case.pk]))
    client.get(reverse("audit:case", args=[case.pk]), form_values(moments["investigating"]))
    seen = views()
    assert len(seen) == 3
    assert seen[0].complaint_id is None and "kind=transition" in seen[0].detail
    assert seen[1].complaint_id == case.pk and seen[1].case_number == case.number
    assert "as_of=" in seen[2].detail
    assert all(row.ip == "127.0.0.1" for row in seen)
    csv_file = export_file(client, reverse("audit:case_csv", args=[case.pk])).export
    pdf_file = export_file(client, reverse("audit:case_pdf", args=[case.pk])).export
    exports = AuditEvent.objects.filter(kind=Kind.EXPORT, actor_id=audrey.pk, complaint_id=case.pk).order_by("id")
    assert [e.detail for e in exports] == [
        f"case_audit_csv [export {csv_file.pk}]",
        f"case_audit_csv downloaded [export {csv_file.pk}] ({csv_file.rows}) sha256={csv_file.sha256}",
        f"case_audit_pdf [export {pdf_file.pk}]",
        f"case_audit_pdf downloaded [export {pdf_file.pk}] ({pdf_file.rows}) sha256={pdf_file.sha256}",
    ]


def test_the_history_page_shows_the_latest_audit_rows_and_leads_to_the_rest(signed_in, audrey, story):
    """Every view adds a row to the case's trail: the page keeps the latest
    CASE_PAGE_AUDIT_ROWS, and the audit log, filtered by the case, holds them all."""
    from auditing.views import CASE_PAGE_AUDIT_ROWS

    case, _moments = story
    client = signed_in(audrey)
    url = reverse("audit:case", args=[case.pk])
    assert 'data-testid="audit-rows-cut"' not in client.get(url).content.decode()
    total = AuditEvent.objects.filter(complaint_id=case.pk).count()
    for _ in range(CASE_PAGE_AUDIT_ROWS - total + 5):
        client.get(url)
    page = client.get(url).content.decode()
    trail = page.split('data-testid="case-audit"')[1].split("</table>")[0]
    assert trail.count('data-testid="case-audit-row"') == CASE_PAGE_AUDIT_ROWS
    note = page.split('data-testid="audit-rows-cut"')[1].split("</p>")[0]
    log_url = f"{reverse('audit:log')}?case={case.number.replace('/', '%2F')}"
    assert f'href="{log_url}"' in note
    listed = client.get(log_url).context["page"].items
    assert {row.complaint_id for row in listed} == {case.pk} and len(listed) > 0


def test_the_case_csv_holds_the_header_audit_rows_and_changes(signed_in, audrey, harry, story, export_file):
    case, _moments = story
    response = export_file(signed_in(audrey), reverse("audit:case_csv", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert case.number.replace("/", "-") in response["Content-Disposition"]
    rows = csv_rows(response.content)
    flat = [cell for row in rows for cell in row]
    assert ["เลขที่รับ", case.number] in rows
    assert ["สถานะ", "ยุติเรื่องแล้ว"] in rows
    assert "บันทึกการตรวจสอบ" in flat and "ประวัติการเปลี่ยนแปลงข้อมูล" in flat
    change = next(row for row in rows if "อนุมัติการมอบหมาย" in row and "สถานะ" in row)
    assert harry.get_full_name() in change and "มอบหมายแล้ว รอชุดปฏิบัติการรับเรื่อง" in change
    assert sum(1 for row in rows if "ดำเนินการกับเรื่อง" in row) == 7  # one audit row per transition


def test_the_case_pdf(signed_in, audrey, story, export_file):
    case, _moments = story
    response = export_file(signed_in(audrey), reverse("audit:case_pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1024
    assert f"/Subject ({case.number})".encode() in response.content  # the metadata fpdf2 writes
    assert AuditEvent.objects.filter(
        kind=Kind.EXPORT, complaint_id=case.pk, detail__startswith="case_audit_pdf"
    ).exists()


def test_the_case_pdf_text(signed_in, audrey, story, tmp_path, export_file):
    case, _moments = story
    text = pdf_text(export_file(signed_in(audrey), reverse("audit:case_pdf", args=[case.pk])).content, tmp_path)
    assert case.number in text
    assert "บันทึกการตรวจสอบ" in text
