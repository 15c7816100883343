"""The audit log: written with the change it records, append-only, tamper-evident."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases import services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def raw(sql, params=()):
    """Change the table behind the application's back, the way a tamperer would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")


@pytest.fixture
def history(new_case, harry, alice, team):
    services.case_propose_assignment(actor=alice, case=new_case, team=team)
    services.case_approve_assignment(actor=harry, case=new_case)
    return list(AuditEvent.objects.order_by("id"))


def verify_output():
    from io import StringIO

    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_each_transition_is_logged_with_before_and_after(history, new_case):
    rows = [row for row in history if row.kind == Kind.TRANSITION]
    assert [row.action for row in rows] == ["intake", "propose_assignment", "approve_assignment"]
    approve = rows[-1]
    assert approve.before["status"] == "assignment_pending" and approve.after["status"] == "assigned"
    assert approve.case_number == new_case.number and approve.actor_name


def test_an_intact_log_verifies(history):
    output, error = verify_output()
    assert error is None
    assert f"checked {len(history)} audit rows against 0 checkpoint(s): 0 break(s)" in output


def test_an_edited_row_is_named(history):
    victim = history[1]
    raw("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ["approve_assignment: ไม่มีอะไร", victim.id])
    output, error = verify_output()
    assert error is not None and f"row {victim.id}" in error
    assert f"row {victim.id}: content changed" in output


def test_a_deleted_row_is_named(history):
    victim = history[1]
    raw("DELETE FROM audit_auditevent WHERE id = %s", [victim.id])
    output, error = verify_output()
    follower = history[2]
    assert error is not None
    assert f"row {follower.id}: chain broken after row {history[0].id}" in output


def test_reordered_rows_are_named(history):
    first, second = history[0], history[1]
    # Swap what two rows say was done, as if their order had been changed.
    raw(
        "UPDATE audit_auditevent SET action = CASE id WHEN %s THEN %s ELSE %s END WHERE id IN (%s, %s)",
        [first.id, second.action, first.action, first.id, second.id],
    )
    output, error = verify_output()
    assert error is not None and f"row {first.id}" in output


def test_the_orm_refuses_to_change_or_delete_rows(history):
    row = history[0]
    row.detail = "x"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=row.pk).update(detail="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; CI runs on it")
def test_the_database_refuses_update_and_delete(history):
    for sql in ("UPDATE audit_auditevent SET detail = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.count() == len(history)


def test_a_rolled_back_change_leaves_no_audit_row(new_case, harry):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_reject(actor=harry, case=new_case, reason="ไม่รับ")
        raise RuntimeError("the request failed after the transition")
    assert AuditEvent.objects.count() == before


def test_sign_in_failures_lockout_and_sign_out_are_logged(client, alice, settings):
    client.post(
        reverse("login"), {"username": alice.national_id, "password": "wrong-password-1"}, REMOTE_ADDR="10.1.2.3"
    )
    client.post(reverse("login"), {"username": alice.national_id, "password": PASSWORD}, HTTP_USER_AGENT="Firefox/140")
    client.post(reverse("logout"))
    kinds = list(AuditEvent.objects.values_list("kind", flat=True))
    assert kinds == [Kind.SIGN_IN_FAILED, Kind.SIGN_IN, Kind.SIGN_OUT]
    failed = AuditEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert failed.ip == "10.1.2.3" and failed.detail == alice.national_id
    assert AuditEvent.objects.get(kind=Kind.SIGN_IN).user_agent == "Firefox/140"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": alice.national_id, "password": "wrong-password-1"})
    assert AuditEvent.objects.filter(kind=Kind.LOCKOUT).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the chain's lock is a PostgreSQL advisory lock")
@pytest.mark.parametrize("step", ["intake", "propose_assignment"])
def test_the_chain_lock_is_taken_last(step, alice, team):
    """Writers take turns on the chain's lock from its append to the commit, so the
    append is the service's last statement: nothing else (the workflow, who is told)
    runs while other officers wait (bench/intake: 16 officers' p95 was the lock)."""
    from django.test.utils import CaptureQueriesContext

    from tests.case_fixtures import intake_data

    case = None
    if step == "propose_assignment":
        case, _created = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    with CaptureQueriesContext(connection) as queries:
        if case is None:
            services.case_intake(actor=alice, district=alice.district, data=intake_data())
        else:
            services.case_propose_assignment(actor=alice, case=case, team=team)
    statements = [q["sql"] for q in queries.captured_queries]
    locks = [i for i, sql in enumerate(statements) if "pg_advisory_xact_lock" in sql]
    assert len(locks) == 1
    after = [sql.split()[0] for sql in statements[locks[0] + 1 :]]
    # The previous hash, the row, then only the savepoints closing up to the commit.
    assert after[:2] == ["SELECT", "INSERT"] and set(after[2:]) <= {"RELEASE"}, statements[locks[0] :]
