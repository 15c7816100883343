"""A transition's action is a field of its audit row, covered by the row's hash. The rows
written before it had one (the action was the detail's first word) keep their hash and
still verify once migration 0005 has copied their action out; an action changed on
either kind of row is found."""

import hashlib
import importlib
import json

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from audit.models import GENESIS, AuditEvent, Kind
from audit.verify import verify
from auditing.selectors import PersonalDataMask, detail_text
from cases import actions, services
from tests.audit.test_audit_log import raw, verify_output

pytestmark = pytest.mark.django_db

fill_actions = importlib.import_module("audit.migrations.0005_auditevent_action").fill_actions


def old_hash(row: AuditEvent, previous: str) -> str:
    """A row's hash as the log computed it before the action had a field (the old ``AuditEvent.content``)."""
    content = json.dumps(
        [
            row.at.isoformat(timespec="microseconds"), row.kind, row.actor_id, row.actor_name,
            row.actor_national_id, row.ip, row.user_agent, row.complaint_id, row.case_number,
            row.detail, row.before, row.after,
        ],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )  # fmt: skip
    return hashlib.sha256((previous + content).encode()).hexdigest()


def old_row(case, actor, detail: str, kind: str = Kind.TRANSITION) -> AuditEvent:
    """Append a row as the log wrote it before: a transition's action in the detail, no action field."""
    previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    row = AuditEvent(
        kind=kind, actor_id=actor.pk, actor_name=actor.get_full_name(), complaint_id=case.pk,
        case_number=case.number, detail=detail, before={"status": "received"}, after={"status": "rejected"},
        prev_hash=previous, hash_version=1,
    )  # fmt: skip
    row.hash = old_hash(row, previous)
    row.save()
    return row


class SchemaEditor:
    """What the migration's data step uses of a schema editor (the test database has the columns already)."""

    connection = connection

    @staticmethod
    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def old_rows(new_case, harry):
    """Rows written before the action field (transitions with a note and without, another
    kind whose detail has a colon too), then migrated."""
    rows = [
        old_row(new_case, harry, "reject: ไม่ใช่เรื่องร้องเรียน"),
        old_row(new_case, harry, "reopen"),
        old_row(new_case, harry, "cases.Team #3: ชุดตำบลบ้านโป่ง", kind=Kind.SETTINGS_CHANGE),
    ]
    fill_actions(apps, SchemaEditor())
    return [AuditEvent.objects.get(pk=row.pk) for row in rows]


@pytest.fixture
def rejected(new_case, harry):
    services.case_reject(actor=harry, case=new_case, reason="ไม่ใช่เรื่องร้องเรียน")
    return AuditEvent.objects.filter(kind=Kind.TRANSITION).latest("id")


def test_a_transition_row_names_its_action_in_a_field_and_its_note_in_the_detail(rejected):
    assert (rejected.action, rejected.detail, rejected.hash_version) == ("reject", "ไม่ใช่เรื่องร้องเรียน", 2)
    intake = AuditEvent.objects.filter(kind=Kind.TRANSITION).earliest("id")
    assert (intake.action, intake.detail) == ("intake", "")


def test_an_old_row_gets_its_action_still_verifies_and_reads_as_a_new_one(old_rows, rejected, harry):
    with_note, without_note, _settings = old_rows
    assert (with_note.action, with_note.note, with_note.hash_version) == ("reject", "ไม่ใช่เรื่องร้องเรียน", 1)
    assert (without_note.action, without_note.note) == ("reopen", "")
    output, error = verify_output()
    assert error is None, output
    mask = PersonalDataMask(harry)
    assert detail_text(with_note, mask) == detail_text(rejected, mask) == f"{actions.label('reject')}: ไม่ใช่เรื่องร้องเรียน"
    assert detail_text(without_note, mask) == actions.label("reopen")


def test_the_migration_fills_only_old_transition_rows(old_rows):
    assert old_rows[2].action == ""
    assert not AuditEvent.objects.exclude(kind=Kind.TRANSITION).exclude(action="").exists()


def test_an_action_changed_on_a_new_row_is_found(rejected):
    raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["approve_closure", rejected.id])
    assert [str(b) for b in verify().breaks] == [
        f"row {rejected.id}: content changed after it was written (hash does not match)"
    ]


def test_an_action_changed_on_an_old_row_is_found(old_rows):
    victim = old_rows[0]
    raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["approve_closure", victim.id])
    assert [str(b) for b in verify().breaks] == [
        f"row {victim.id}: action changed after it was written (it is not the detail's)"
    ]


@pytest.mark.parametrize("which", ["old", "new"])
def test_a_changed_hash_version_is_found(old_rows, rejected, which):
    victim, other_version = (old_rows[0], 2) if which == "old" else (rejected, 1)
    raw("UPDATE audit_auditevent SET hash_version = %s WHERE id = %s", [other_version, victim.id])
    assert [b.row for b in verify().breaks] == [victim.id]


def test_the_log_page_reads_the_action_from_its_field(signed_in, audrey, rejected):
    page = signed_in(audrey).get(reverse("audit:log"), {"kind": Kind.TRANSITION})
    shown = {event.pk: detail for event, detail, _changes in page.context["items"]}
    assert shown[rejected.pk] == f"{actions.label('reject')}: ไม่ใช่เรื่องร้องเรียน"
