"""Anchors: signed checkpoints of the chain's head, kept outside the audit table,
catch what the chain alone cannot: the newest rows deleted, the table emptied,
a row edited and every later hash recomputed."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from audit import anchors, events
from audit.models import GENESIS, AuditCheckpoint, AuditEvent
from audit.verify import verify
from cases import services
from tests.audit.test_audit_log import raw, verify_output

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    settings.AUDIT_ANCHOR_KEY = "a-key-from-the-environment-not-the-database"
    settings.AUDIT_ANCHOR_PATH = tmp_path / "anchors" / "audit-anchors.jsonl"
    return settings.AUDIT_ANCHOR_PATH


@pytest.fixture
def anchored(new_case, harry, alice, team, django_capture_on_commit_callbacks):
    """A log of a few rows, checkpointed at its head."""
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    services.case_approve_assignment(actor=harry, case=new_case)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit_checkpoint", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return list(AuditEvent.objects.order_by("id"))


def chain_alone_is_whole() -> bool:
    """What audit_verify saw before anchors: the chain walk without checkpoints."""
    previous = GENESIS
    for row in AuditEvent.objects.order_by("id"):
        if row.prev_hash != previous or row.compute_hash(row.prev_hash) != row.hash:
            return False
        previous = row.hash
    return True


def test_a_checkpoint_is_signed_and_kept_in_the_table_and_the_file(anchored, anchor_file):
    checkpoint = AuditCheckpoint.objects.get()
    head = anchored[-1]
    assert (checkpoint.event_id, checkpoint.event_hash, checkpoint.row_count) == (head.id, head.hash, len(anchored))
    [line] = anchor_file.read_text().splitlines()
    assert json.loads(line)["signature"] == checkpoint.signature
    output, error = verify_output()
    assert error is None
    assert f"last checkpoint: row {head.id}, hash {head.hash}, {len(anchored)} rows" in output
    assert "(file+table)" in output
    assert f"checked {len(anchored)} audit rows against 1 checkpoint(s): 0 break(s)" in output


def test_nothing_new_nothing_signed_and_the_next_counts_on(anchored, alice):
    assert anchors.take_checkpoint() is None
    events.settings_changed(alice, what="x", before={}, after={})
    second = anchors.take_checkpoint()
    assert second.row_count == len(anchored) + 1
    assert verify().breaks == []


def test_deleting_the_newest_rows_is_detected(anchored):
    newest = anchored[-2:]
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [newest[0].id])
    assert chain_alone_is_whole()  # the blind spot: what is left is a whole chain
    output, error = verify_output()
    assert error is not None
    assert f"names row {newest[-1].id} ({len(anchored)} rows up to it)" in output
    assert "the newest rows were deleted" in output


def test_truncate_is_detected(anchored):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")
    else:
        raw("DELETE FROM audit_auditevent")
    output, error = verify_output()
    assert error is not None and "the log is empty" in output


def test_truncating_the_checkpoints_too_leaves_the_file(anchored):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE audit_auditevent, audit_auditcheckpoint")
        else:
            cursor.execute("DELETE FROM audit_auditcheckpoint")
            raw("DELETE FROM audit_auditevent")
    output, error = verify_output()
    assert error is not None and "the log is empty" in output and "(file)" in output


def test_an_edited_row_with_every_later_hash_recomputed_is_detected(anchored):
    victim = anchored[1]
    # given a tamperer who edits a row and rewrites the chain from there on
    previous = anchored[0].hash
    for row in AuditEvent.objects.filter(id__gte=victim.id).order_by("id"):
        if row.id == victim.id:
            row.detail = "propose_assignment: ไม่มีอะไร"
        row.prev_hash = previous
        row.hash = row.compute_hash(previous)
        raw(
            "UPDATE audit_auditevent SET detail = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row.detail, row.prev_hash, row.hash, row.id],
        )
        previous = row.hash
    assert chain_alone_is_whole()  # the blind spot
    output, error = verify_output()
    head = anchored[-1]
    assert error is not None
    assert f"row {head.id}: rewritten since the checkpoint" in output


def test_a_forged_checkpoint_is_named(anchored, settings):
    # given a checkpoint signed with a key that is not the environment's
    settings.AUDIT_ANCHOR_KEY = "a-database-owner-guessing-a-key"
    forged = AuditCheckpoint(event_id=anchored[0].id, event_hash=anchored[0].hash, row_count=1)
    forged.signature = anchors._sign(anchors._message(forged.event_id, forged.event_hash, 1, forged.at))
    forged.save()
    settings.AUDIT_ANCHOR_KEY = "a-key-from-the-environment-not-the-database"
    output, error = verify_output()
    assert error is not None and "signature does not match" in output


def test_the_beat_schedule_signs_the_head(anchored, settings):
    from audit.tasks import checkpoint

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "audit.checkpoint")
    assert entry["schedule"] <= 15 * 60
    from core.models import User

    events.settings_changed(User.objects.first(), what="y", before={}, after={})
    assert checkpoint.delay().get() == AuditEvent.objects.order_by("-id").first().id


def test_production_refuses_to_start_without_an_anchor_key():
    from tests.core.test_settings import PRODUCTION, run_manage

    for value in ("", "insecure-embedded-audit-anchor-key-do-not-use", "short"):
        result = run_manage("check", **{**PRODUCTION, "AUDIT_ANCHOR_KEY": value})
        assert result.returncode != 0 and "AUDIT_ANCHOR_KEY is missing" in result.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's; CI runs on it")
def test_the_readme_sql_leaves_the_app_role_select_and_insert_only(anchored):
    """Run the README's SQL (inside the test's transaction, so the roles vanish with it)."""
    from pathlib import Path

    from django.db import DatabaseError, transaction

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    sql = readme.split("must not own the audit tables")[1].split("```sql")[1].split("```")[0]
    sql = sql.replace("damrongdhama_owner", "h4_test_audit_owner").replace("damrongdhama", "h4_test_audit_app")
    with connection.cursor() as cursor:
        for statement in filter(str.strip, (line.split("--")[0] for line in sql.splitlines())):
            cursor.execute(statement)
        cursor.execute("GRANT USAGE ON SCHEMA public TO h4_test_audit_app")
        cursor.execute("SET ROLE h4_test_audit_app")
        try:
            events.settings_changed(None, what="as the application", before={}, after={})  # INSERT works
            for statement in (
                "TRUNCATE audit_auditevent", "DELETE FROM audit_auditevent", "UPDATE audit_auditevent SET detail = ''",
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only", "TRUNCATE audit_auditcheckpoint",
                "DELETE FROM audit_auditcheckpoint",
            ):  # fmt: skip
                with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
                    cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == len(anchored) + 1
