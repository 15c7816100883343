"""Importing earlier records through the intake service: Ada (administrator) brings in a
center's register; what she imports is numbered, audited and put in its queue or closed;
a second run changes nothing; bad rows are told by number and the others go on."""

import datetime as dt
import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from audit.verify import verify
from cases.models import CaseEvent, Complaint, Outcome, RunningNumber, Status
from cases.selectors import CaseFilters, filtered_cases
from cases.services import case_import
from citizens.models import CitizenNotice
from core.models import OutboxMessage
from core.thai import fiscal_year_be, format_be_input, make_national_id, to_thai_digits
from imports.rows import Vocabulary, parse_row
from imports.services import import_file
from tests.imports.conftest import closed, csv_bytes, jsonl_bytes, record, xlsx_bytes
from tests.imports.test_reading import THAI_HEADERS
from workflows import engine

pytestmark = pytest.mark.django_db


def run(content: bytes, actor, *, name="register.xlsx", source="register", **options):
    return import_file(io.BytesIO(content), name=name, actor=actor, source=source, **options)


def footprint() -> dict:
    """What an import writes, counted."""
    return {
        "cases": Complaint.objects.count(), "events": CaseEvent.objects.count(), "audit": AuditEvent.objects.count(),
        "history": Complaint.history.count(), "numbers": sum(RunningNumber.objects.values_list("last", flat=True)),
        "outbox": OutboxMessage.objects.count(),
    }  # fmt: skip


def recent(days: int) -> str:
    """A received date ``days`` ago, as the register writes it (วว/ดด/ปปปป BE)."""
    return format_be_input(timezone.localdate() - dt.timedelta(days=days))


def test_a_register_of_open_and_closed_records(ada, geography):
    # given a register with an old open complaint, a closed one and one received last week
    rows = [record(1), closed(2), record(3, received_on=recent(7), district_code="7005")]
    # when Ada imports it
    result = run(xlsx_bytes(rows), ada)
    # then each row is a case of its district, numbered in the fiscal year it was received
    assert (result.added, result.skipped, result.failed) == (3, 0, 0), result.failures
    old, ended, new = (Complaint.objects.get(source="register", source_key=f"OLD-00000{n}") for n in (1, 2, 3))
    assert old.number.startswith("7001/2567/") and ended.number.startswith("7001/2567/")
    assert new.district_id == "7005" and new.fiscal_year == fiscal_year_be(new.received_on)
    assert old.recorded_by == ada and old.received_on == dt.date(2024, 1, 15)
    # the old open case waits in the officers' queue, its closure target counted from today
    assert old.status == Status.RECEIVED and engine.expected_task(old) == "triage"
    assert [engine.node_name(task) for task in engine.open_tasks(old)] == ["triage"]
    assert old.due_on == old.main_category.due_on(timezone.localdate())
    assert new.due_on == new.main_category.due_on(new.received_on)
    # the closed one ended as the register says, with no workflow at all
    assert ended.status == Status.CLOSED and ended.outcome == Outcome.RESOLVED
    assert timezone.localtime(ended.closed_at).date() == dt.date(2024, 2, 20)
    assert ended.closing_summary == "ไกล่เกลี่ยแล้ว ผู้ถูกร้องรื้อถอนเพิงพัก"
    assert not engine.open_tasks(ended).exists() and engine.current_process(ended) is None
    for case in (old, ended, new):
        assert engine.check_case(case) == []
    out = io.StringIO()
    call_command("check_workflow", stdout=out)  # the invariant: a closed case has no open task
    assert "checked 3 cases: 0 problem(s)" in out.getvalue()
    # each says where it came from: timeline, history and audit row
    event = ended.events.get()
    assert event.action == "import" and event.to_status == Status.CLOSED and event.actor == ada
    assert "register" in event.note and "แถวที่ 3" in event.note and "OLD-000002" in event.note
    assert ended.history.get().history_change_reason == "import"
    audit = AuditEvent.objects.get(complaint_id=ended.pk)
    assert audit.action == "import" and audit.actor_id == ada.pk
    assert audit.detail == "imported from register row 3 key OLD-000002; received before the back-dating window"
    assert audit.after["source_key"] == "OLD-000002" and audit.after["before_window"] is True
    assert AuditEvent.objects.get(complaint_id=new.pk).after["before_window"] is False
    assert verify().breaks == []


def test_a_second_run_changes_nothing(ada, geography):
    content = xlsx_bytes([record(n) if n % 2 else closed(n) for n in range(1, 21)])
    first = run(content, ada)
    before = footprint()
    second = run(content, ada)
    assert (first.added, second.added, second.skipped, second.failed) == (20, 0, 20, 0)
    assert footprint() == before


def test_the_same_key_in_another_source_is_another_record(ada, geography):
    run(xlsx_bytes([record(1)]), ada, source="register")
    assert run(xlsx_bytes([record(1)]), ada, source="old-system").added == 1


def test_bad_rows_are_told_by_number_and_the_others_are_imported(ada, geography):
    rows = [
        record(1), record(2, received_on="31/02/2567"), record(3), record(4, main_category="ภาษี"),
        record(5, received_on=recent(-3)), closed(6, closed_on="01/01/2567"), record(1),
    ]  # fmt: skip
    result = run(xlsx_bytes(rows), ada)
    assert (result.added, result.failed) == (2, 5)
    by_row = {failure.row: failure.messages for failure in result.failures}
    assert set(by_row) == {3, 5, 6, 7, 8}  # the header is row 1
    assert by_row[3] == ["received_on (วันที่รับเรื่อง): ไม่มีวันที่นี้ในปฏิทิน"]
    assert by_row[5] == ["main_category (ประเภทเรื่อง): ไม่พบประเภทเรื่อง “ภาษี” ในรายการประเภทเรื่อง"]
    assert by_row[6] == ["received_on (วันที่รับเรื่อง): วันที่รับเรื่องต้องไม่เป็นวันในอนาคต"]
    assert by_row[7] == ["closed_on (วันที่ยุติเรื่อง): วันที่ยุติเรื่องต้องไม่ก่อนวันที่รับเรื่อง (15/01/2567)"]
    assert by_row[8] == ["เลขที่อ้างอิง “OLD-000001” ซ้ำกับแถวที่ 2 ของไฟล์นี้"]
    # a failed row wrote nothing of itself: two cases, two numbers
    assert Complaint.objects.count() == 2 and sum(RunningNumber.objects.values_list("last", flat=True)) == 2


def test_a_dry_run_writes_nothing_and_reports_what_it_would(ada, geography):
    run(xlsx_bytes([record(1)]), ada)
    before = footprint()
    result = run(xlsx_bytes([record(1), record(2), record(3, channel="?")]), ada, dry_run=True)
    assert (result.added, result.skipped, result.failed) == (1, 1, 1)
    assert result.failures[0].row == 4
    assert footprint() == before


def test_all_or_nothing_writes_nothing_when_a_row_fails(ada, geography):
    before = footprint()
    result = run(xlsx_bytes([record(1), record(2), record(3, district_code="9999")]), ada, all_or_nothing=True)
    assert result.rolled_back and result.added == 0 and [f.row for f in result.failures] == [4]
    assert footprint() == before


def test_all_or_nothing_writes_everything_when_every_row_passes(ada, geography):
    result = run(xlsx_bytes([record(1), closed(2), record(3)]), ada, all_or_nothing=True)
    assert not result.rolled_back and (result.added, result.failed) == (3, 0)
    assert Complaint.objects.filter(source="register").count() == 3


def test_all_or_nothing_rolls_back_when_a_row_fails_while_written(ada, geography, monkeypatch):
    # A row the checks pass and the database refuses (here: a failure forced on the second write).
    from imports import services

    calls = []
    real = services.case_import

    def second_fails(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise services.ActionRefused("ทดสอบ")
        return real(**kwargs)

    monkeypatch.setattr(services, "case_import", second_fails)
    before = footprint()
    result = run(xlsx_bytes([record(1), record(2), record(3)]), ada, all_or_nothing=True)
    assert result.rolled_back and result.added == 0 and [f.row for f in result.failures] == [3]
    assert footprint() == before


def test_a_tis620_csv_with_thai_headers_and_buddhist_era_dates(ada, geography):
    rows = [
        record(1, received_on="๑๕/๐๑/๒๕๖๗"),
        closed(2, status="ยุติเรื่อง", closed_on="20 ก.พ. 2567", outcome="แก้ไขได้บางส่วน"),
    ]  # fmt: skip
    content = csv_bytes(rows, names=THAI_HEADERS, encoding="cp874")
    result = run(content, ada, name="ทะเบียน.csv")
    assert result.encoding == "cp874" and (result.added, result.failed) == (2, 0), result.failures
    case = Complaint.objects.get(source_key="OLD-000002")
    assert case.outcome == Outcome.PARTLY_RESOLVED and case.received_on == dt.date(2024, 1, 15)
    assert case.complainants.get().last_name == "ทองดี2"


def test_jsonl_from_the_old_system(ada, geography):
    rows = [
        {**record(1), "received_on": "2024-01-15", "complainant_confidential": True},
        {**closed(2), "closed_on": "2024-02-20T10:00:00+07:00", "latitude": 13.5365, "longitude": 99.81},
    ]  # fmt: skip
    result = run(jsonl_bytes(rows), ada, name="old.jsonl", source="old-system")
    assert (result.added, result.failed) == (2, 0), result.failures
    first = Complaint.objects.get(source="old-system", source_key="OLD-000001")
    assert first.complainants.get().is_confidential
    assert str(Complaint.objects.get(source_key="OLD-000002").latitude) == "13.536500"


def test_nobody_is_told_of_an_imported_case(ada, geography):
    run(xlsx_bytes([record(1, complainant_phone="0812345678"), closed(2)]), ada)
    assert not CitizenNotice.objects.exists()
    assert not OutboxMessage.objects.filter(task_name="cases.notify_case_event").exists()


def test_a_district_officer_imports_her_own_districts_rows_only(alice, bob, geography):
    result = run(xlsx_bytes([record(1), record(2, district_code="7005")]), alice)
    assert result.added == 1
    assert result.failures[0].row == 3 and "ไม่มีสิทธิ์นำเข้า" in result.failures[0].messages[0]
    assert run(xlsx_bytes([record(3)]), bob).failures[0].messages[0].startswith("คุณไม่มีสิทธิ์นำเข้า")


def test_progress_is_told_as_the_rows_go(ada, geography):
    told = []
    run(xlsx_bytes([record(n) for n in range(1, 6)]), ada, progress=lambda result: told.append(result.done))
    assert told and told[-1] == 5


def test_a_job_stopped_at_its_time_goes_on_where_it_stopped(ada, geography):
    content = xlsx_bytes([record(n) for n in range(1, 8)])
    part = run(content, ada, seconds=1e-9)  # stops after its first row
    assert not part.finished and part.done == 1
    rest = run(content, ada, resume=part)
    assert rest.finished and (rest.done, rest.added, rest.skipped) == (7, 7, 0)


# --- The command --------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_complaints", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_the_command_draws_its_progress_and_sums_up(ada, geography, write):
    path = write("ทะเบียน.xlsx", xlsx_bytes([record(1), record(2), record(3, channel="?")]))
    out, err, error = command(path, "--as", to_thai_digits(ada.national_id), "--progress")
    assert "\r" in err and "[" in err and "3/3" in err
    assert "แถวที่ 4 (OLD-000003): channel (ช่องทาง): ไม่รู้จักช่องทาง “?”" in out
    assert "เพิ่ม 2 เรื่อง · นำเข้าไว้ก่อนแล้ว 0 แถว · ไม่ผ่าน 1 แถว" in out
    assert "แหล่งข้อมูล “ทะเบียน”" in out  # the file's name when no --source
    assert error == "1 แถวไม่ผ่าน"  # the exit status says so
    out, _err, error = command(path, "--as", ada.national_id, "--no-progress")
    assert "เพิ่ม 0 เรื่อง · นำเข้าไว้ก่อนแล้ว 2 แถว" in out


def test_the_command_options(ada, geography, write):
    path = write("r.csv", csv_bytes([record(1, district_code="")]))
    out, _err, error = command(
        path, "--as", ada.national_id, "--dry-run", "--district-default", "7005", "--source", "x"
    )
    assert error is None and "ตรวจสอบอย่างเดียว ไม่ได้บันทึก: จะเพิ่ม 1 เรื่อง" in out
    assert not Complaint.objects.exists()
    out, _err, error = command(path, "--as", ada.national_id, "--all-or-nothing", "--district-default", "7005")
    assert error is None and Complaint.objects.get().district_id == "7005"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "1234567890123"], "--as: เลขประจำตัวประชาชนไม่ถูกต้อง"),
        (["--as", make_national_id("110000000001")], "--as: ไม่พบผู้ใช้งาน"),
        (["--as", "ADA", "--district-default", "9999"], "--district-default: ไม่พบอำเภอรหัส “9999”"),
    ],
)
def test_the_command_refuses_a_wrong_officer_or_district(ada, geography, write, args, message):
    path = write("r.csv", csv_bytes([record(1)]))
    args = [ada.national_id if arg == "ADA" else arg for arg in args]
    _out, _err, error = command(path, *args)
    assert error and error.startswith(message)


def test_the_command_without_its_file_or_columns(ada, geography, write):
    assert command("/nowhere.xlsx", "--as", ada.national_id)[2].startswith("ไม่พบไฟล์")
    path = write("r.csv", "เรื่อง,รายละเอียด\nก,ข\n".encode())
    assert command(path, "--as", ada.national_id)[2].startswith("ไฟล์ไม่มีคอลัมน์ที่ต้องมี: source_key")


def test_the_case_page_shows_where_it_came_from(ada, geography, signed_in):
    run(xlsx_bytes([record(1)]), ada)
    case = Complaint.objects.get()
    page = signed_in(ada).get(case.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="case-source-key"><code class="fs-6">OLD-000001</code>' in page.content.decode()


def test_an_imported_case_is_found_by_its_key_in_the_source(ada, alice, geography):
    run(xlsx_bytes([record(1), record(2)]), ada)
    found = filtered_cases(alice, CaseFilters(query="old-000002"))
    assert [case.source_key for case in found] == ["OLD-000002"]


# --- A big register ------------------------------------------------------------------------

BIG = 10_000


def test_ten_thousand_rows_of_a_spreadsheet(ada, geography, write, capsys):
    """10,000 rows of a register of past years (one in twenty still open, the rest closed),
    read from an .xlsx with the progress bar, in one run; the figure is printed (README,
    "Importing earlier records")."""
    rows = [record(n) if n % 20 == 0 else closed(n) for n in range(1, BIG + 1)]
    path = write("big.xlsx", xlsx_bytes(rows))
    started, cpu = time.monotonic(), time.process_time()
    out, err, error = command(path, "--as", ada.national_id, "--progress", "--source", "big")
    seconds, cpu_seconds = time.monotonic() - started, time.process_time() - cpu
    assert error is None, out[-2000:]
    assert f"เพิ่ม {BIG:,} เรื่อง" in out and f"{BIG:,}/{BIG:,}" in err
    assert Complaint.objects.filter(source="big").count() == BIG
    assert Complaint.objects.filter(source="big", status=Status.CLOSED).count() == BIG * 19 // 20
    started_again = time.monotonic()
    out, _err, error = command(path, "--as", ada.national_id, "--no-progress", "--source", "big")
    again = time.monotonic() - started_again
    assert error is None and f"เพิ่ม 0 เรื่อง · นำเข้าไว้ก่อนแล้ว {BIG:,} แถว" in out
    with capsys.disabled():
        print(f"\nimport of {BIG:,} xlsx rows: {seconds:.1f} s ({cpu_seconds:.1f} s CPU), again {again:.1f} s")


def test_a_record_imported_before_returns_its_case_and_writes_nothing(ada, geography):
    # Past the file's own look-up of its keys: the unique source key answers, at no extra query.
    parsed = parse_row(2, record(1), source="register", vocabulary=Vocabulary(), district_default=None)
    first, created = case_import(actor=ada, district=parsed.district, data=parsed.data, record=parsed.record)
    before = footprint()
    again, created_again = case_import(actor=ada, district=parsed.district, data=parsed.data, record=parsed.record)
    assert (created, created_again, again) == (True, False, first)
    assert footprint() == before
