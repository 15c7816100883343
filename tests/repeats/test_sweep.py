"""The national sweep (issue 11 §5): each night the cases recorded since the last run are
compared with every case in the country; the new candidate pairs wait for the owning heads.

Somchai Jaidee complained at Mueang Ratchaburi (Alice's) about an encroachment, then again
at Ban Pong (Bob's), his ID typed in Thai digits with dashes: the same complainant, the same
respondent, the same grievance. Kim's case in Kanchanaburi has nothing in common with them.
The sweep queues each pair once; Harry dismisses one, and it is never suggested again.
``find_repeats --format json`` prints the pairs one JSON object a line."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import Complaint
from cases.services import ComplainantData, RespondentData, case_intake
from core.thai import format_be_input, make_national_id, to_thai_digits
from repeats import services, sweep
from repeats.models import Relation, RepeatLink, SweepRun
from repeats.tasks import sweep as sweep_task
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db

SOMCHAI_ID = make_national_id("370010012345")
DASHED_THAI_ID = to_thai_digits(
    f"{SOMCHAI_ID[0]}-{SOMCHAI_ID[1:5]}-{SOMCHAI_ID[5:10]}-{SOMCHAI_ID[10:12]}-{SOMCHAI_ID[12]}"
)
ENCROACHMENT = dict(
    subject="บุกรุกที่สาธารณประโยชน์หนองสระบัว",
    description="นายไพโรจน์ มั่นคง ถมดินและล้อมรั้วลวดหนามรุกล้ำที่สาธารณประโยชน์หนองสระบัว หมู่ 7 ชาวบ้านใช้น้ำเลี้ยงสัตว์ไม่ได้",
    respondents=[RespondentData(kind="person", name="นายไพโรจน์ มั่นคง")],
)


def record(officer, national_id: str = "", **overrides):
    somchai = [ComplainantData(title="นาย", first_name="สมชาย", last_name="ใจดี", national_id=national_id)]
    data = intake_data(**{"complainants": somchai, **ENCROACHMENT, **overrides})
    case, _ = case_intake(actor=officer, district=officer.district, data=data)
    return case


@pytest.fixture
def first(alice):
    return record(alice, SOMCHAI_ID)


@pytest.fixture
def second(bob, first):
    return record(bob, DASHED_THAI_ID, incident_subdistrict=bob.district.subdistricts.first())


@pytest.fixture
def unrelated(kim, second):
    return record(
        kim,
        complainants=[ComplainantData(title="นาง", first_name="บัวผัน", last_name="คำแสน", phone="0891112233")],
        subject="ไฟฟ้าดับบ่อยในหมู่บ้าน",
        description="กระแสไฟฟ้าดับเกือบทุกคืน เครื่องใช้ไฟฟ้าเสียหาย",
        respondents=[],
        incident_subdistrict=kim.district.subdistricts.first(),
    )


def an_hour_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=1)


def links() -> set[tuple[int, int, str, str]]:
    return set(RepeatLink.objects.values_list("case_id", "other_id", "relation", "state"))


# --- Queuing the pairs --------------------------------------------------------------------------


def test_the_sweep_queues_each_new_pair_once_for_review(first, second, unrelated):
    # when the night's sweep runs
    result = sweep.run(since=an_hour_ago())

    # then the three cases were checked and the two related ones wait as suggestions, the
    # later case first, once per relation
    assert result.cases_checked == 3
    suggested = RepeatLink.State.SUGGESTED
    assert links() == {(second.pk, first.pk, relation, suggested) for relation in Relation.values}
    assert result.queued == result.pairs == 3
    assert all(link.created_by is None and link.score and link.reasons for link in RepeatLink.objects.all())
    complainant = RepeatLink.objects.get(relation=Relation.COMPLAINANT)
    assert complainant.score == 1.0 and complainant.reasons[0]["code"] == "same_id"

    # and the run is recorded: the next one starts where it ended
    run = SweepRun.objects.get()
    assert (run.since, run.until, run.cases_checked, run.pairs_found) == (result.since, result.until, 3, 3)
    assert run.finished_at is not None
    assert sweep.default_since(timezone.now()) == run.until


def test_a_second_sweep_over_the_same_cases_stores_nothing_twice(first, second):
    sweep.run(since=an_hour_ago())
    before = links()

    # when the same cases are swept again
    again = sweep.run(since=an_hour_ago())

    # then the pairs are found and said to be known, and nothing new is stored
    assert again.pairs == 3 and again.queued == 0
    assert links() == before and RepeatLink.objects.count() == 3


def test_a_dismissed_pair_is_never_suggested_again(alice, first, second):
    sweep.run(since=an_hour_ago())
    grievance = RepeatLink.objects.get(relation=Relation.GRIEVANCE)
    services.dismiss(actor=alice, link=grievance, reason="คนละเรื่อง ร้องเรื่องที่ดินคนละแปลง")
    reported = []

    # when the sweep runs again over both cases
    result = sweep.run(since=an_hour_ago(), on_pair=reported.append)

    # then the dismissed pair stays dismissed, is not queued again nor reported; the others are known
    grievance.refresh_from_db()
    assert grievance.state == RepeatLink.State.DISMISSED
    assert RepeatLink.objects.filter(relation=Relation.GRIEVANCE).count() == 1
    assert {p.relation for p in reported} == {Relation.COMPLAINANT, Relation.RESPONDENT}
    assert all(p.known for p in reported) and result.queued == 0


def test_an_unlinked_pair_is_not_suggested_again(alice, first, second):
    made = services.link(actor=alice, case=first, other=second, relation=Relation.COMPLAINANT)
    services.unlink(actor=alice, link=made, reason="เป็นคนละคน ชื่อซ้ำกัน")

    sweep.run(since=an_hour_ago())

    assert RepeatLink.objects.get(relation=Relation.COMPLAINANT).state == RepeatLink.State.UNLINKED


def test_only_the_cases_recorded_since_the_last_run_are_checked(first, second):
    sweep.run(since=an_hour_ago())

    # when the next night's sweep starts where the last ended, with nothing recorded since
    result = sweep.run()

    # then it checks nothing
    assert result.cases_checked == 0 and result.pairs == 0
    assert SweepRun.objects.count() == 2


def test_a_run_capped_at_a_number_of_cases_leaves_the_rest_to_the_next(first, second, unrelated):
    # when a night's run may check two cases only (after a big import, the nightly cap)
    capped = sweep.run(since=an_hour_ago(), max_cases=2)

    # then it checks the first two recorded and ends where the third begins
    assert capped.cases_checked == 2
    assert capped.until == unrelated.recorded_at == SweepRun.objects.get().until

    # and the next run takes the rest
    assert sweep.run().cases_checked == 1


def test_a_case_merged_into_another_is_not_checked_nor_reported(first, second):
    Complaint.objects.filter(pk=second.pk).update(merged_into=first)

    result = sweep.run(since=an_hour_ago())

    assert result.cases_checked == 1 and result.pairs == 0


def test_a_dry_run_stores_nothing_and_records_no_run(first, second):
    reported = []

    result = sweep.run(since=an_hour_ago(), dry_run=True, on_pair=reported.append)

    assert len(reported) == result.pairs == 3 and result.queued == 0
    assert not RepeatLink.objects.exists() and not SweepRun.objects.exists()


# --- manage.py find_repeats ---------------------------------------------------------------------


def find_repeats(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("find_repeats", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_find_repeats_json_prints_each_pair_one_object_a_line(first, second, unrelated):
    Complaint.objects.filter(pk=first.pk).update(source="ระบบเดิม", source_key="RB-2568-0042")
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    # when the sweep is asked for JSON
    out, err = find_repeats("--since", since, "--format", "json")

    # then stdout holds one JSON object a line, exactly as specified, and nothing else
    lines = out.splitlines()
    assert len(lines) == 3
    pairs = [json.loads(line) for line in lines]
    for pair in pairs:
        assert list(pair) == ["a", "b", "relation", "score", "reasons"]
        assert pair["a"] == {"number": second.number, "source_key": None}
        assert pair["b"] == {"number": first.number, "source_key": "RB-2568-0042"}
        assert isinstance(pair["score"], float) and 0 < pair["score"] <= 1
        assert pair["reasons"] and all(list(r) == ["code", "label", "detail"] for r in pair["reasons"])
    assert sorted(p["relation"] for p in pairs) == ["complainant", "grievance", "respondent"]
    by_relation = {p["relation"]: p for p in pairs}
    assert by_relation["complainant"]["score"] == 1.0
    assert by_relation["complainant"]["reasons"][0]["code"] == "same_id"
    # Thai text stays Thai (not \u escapes), for a person reading the file too
    assert "เลขประจำตัวประชาชน" in out

    # and the summary goes to stderr; the pairs were queued
    assert "3 cases" in err and "3 new, queued for review" in err
    assert RepeatLink.objects.filter(state=RepeatLink.State.SUGGESTED).count() == 3


def test_find_repeats_text_and_dry_run(first, second):
    out, err = find_repeats("--since", format_be_input(timezone.localdate()), "--dry-run")

    assert f"{second.number} ~ {first.number}" in out
    assert "complainant" in out and "same_id" in out
    assert "dry run, nothing stored" in out and not err
    assert not RepeatLink.objects.exists() and not SweepRun.objects.exists()


def test_find_repeats_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="not a date"):
        find_repeats("--since", "เมื่อวาน")
    with pytest.raises(CommandError, match="before --until"):
        find_repeats("--since", "2026-05-02", "--until", "2026-05-01")


# --- Every night -------------------------------------------------------------------------------


def test_the_beat_runs_the_sweep_every_night_in_bangkok_time():
    entry = settings.CELERY_BEAT_SCHEDULE["repeats-sweep"]
    assert entry["task"] == "repeats.sweep" == sweep_task.name
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {1} and schedule.minute == {30}
    assert settings.CELERY_TIMEZONE == "Asia/Bangkok"


def test_the_task_sweeps_and_says_what_it_did(first, second):
    SweepRun.objects.create(since=an_hour_ago() - dt.timedelta(hours=1), until=an_hour_ago(), finished_at=an_hour_ago())

    summary = sweep_task.delay().get()

    assert summary["cases_checked"] == 2 and summary["queued"] == 3 and summary["dry_run"] is False
