"""Service behaviour beyond the transition table: transfer, forwarding, closure, reopening."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.models import Complaint, Outcome, Status
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db


def test_transfer_keeps_the_number_and_history_and_never_collides(new_case, harry, ban_pong, bob):
    # Ban Pong has already issued number 1 of the same fiscal year.
    theirs, _ = services.case_intake(actor=bob, district=ban_pong, data=intake_data())
    assert (theirs.running_number, theirs.fiscal_year) == (new_case.running_number, new_case.fiscal_year)
    number = new_case.number

    moved = services.case_transfer(actor=harry, case=new_case, district=ban_pong, reason="เหตุเกิดในบ้านโป่ง")

    moved.refresh_from_db()
    assert moved.district == ban_pong and moved.province_id == "70"
    assert moved.number == number  # the number officers quote does not change
    assert list(moved.events.values_list("action", flat=True)) == ["intake", "transfer"]
    assert moved.history.count() >= 2
    assert Complaint.objects.visible_to(bob).filter(pk=moved.pk).exists()


def test_transfer_to_the_same_district_is_refused(new_case, harry):
    with pytest.raises(ValidationError) as error:
        services.case_transfer(actor=harry, case=new_case, district=new_case.district, reason="x")
    assert "อำเภออื่น" in str(error.value)


def test_forwarding_records_the_letter_and_the_reply(new_case, alice):
    today = timezone.localdate()
    services.case_forward(
        actor=alice, case=new_case, agency="สำนักงานที่ดินจังหวัดราชบุรี", letter_number="รบ 0018/77", letter_date=today
    )
    forwarding = new_case.forwardings.get()
    assert Complaint.objects.get(pk=new_case.pk).status == Status.FORWARDED
    services.case_agency_replied(actor=alice, case=new_case, reply="เป็นที่สาธารณประโยชน์จริง", replied_on=today)
    forwarding.refresh_from_db()
    assert (forwarding.letter_number, forwarding.reply, forwarding.replied_on) == (
        "รบ 0018/77",
        "เป็นที่สาธารณประโยชน์จริง",
        today,
    )
    assert Complaint.objects.get(pk=new_case.pk).status == Status.INVESTIGATING


def test_letter_date_in_the_future_is_refused(new_case, alice):
    with pytest.raises(ValidationError):
        services.case_forward(
            actor=alice, case=new_case, agency="อบต.", letter_number="1",
            letter_date=timezone.localdate() + dt.timedelta(days=1),
        )  # fmt: skip
    assert Complaint.objects.get(pk=new_case.pk).status == Status.RECEIVED


# Withdrawn and merged close a case by their own steps (withdraw, repeats.services.merge).
@pytest.mark.parametrize("outcome", [o for o in Outcome.values if o not in (Outcome.WITHDRAWN, Outcome.MERGED)])
def test_every_closing_outcome(case_in, harry, outcome):
    case = case_in(Status.RESOLUTION_PENDING)
    services.case_approve_closure(actor=harry, case=case, outcome=outcome, summary="สรุปผล")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closing_summary) == (Status.CLOSED, outcome, "สรุปผล")
    assert case.closed_at is not None


def test_withdrawal_closes_with_outcome_withdrawn(new_case, alice):
    services.case_withdraw(actor=alice, case=new_case, reason="ผู้ร้องขอถอนเรื่อง")
    new_case.refresh_from_db()
    assert (new_case.status, new_case.outcome) == (Status.CLOSED, Outcome.WITHDRAWN)


def test_reopening_only_within_the_window(case_in, harry, settings):
    settings.CASE_REOPEN_DAYS = 30
    case = case_in(Status.CLOSED)
    Complaint.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))
    with pytest.raises(services.ActionRefused) as refused:
        services.case_reopen(actor=harry, case=Complaint.objects.get(pk=case.pk), reason="ยังมีปัญหา")
    assert "30 วัน" in refused.value.message
    Complaint.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=29))
    reopened = services.case_reopen(actor=harry, case=Complaint.objects.get(pk=case.pk), reason="ยังมีปัญหา")
    assert reopened.status == Status.RECEIVED and reopened.outcome == ""


def test_a_reason_is_required(new_case, harry):
    with pytest.raises(ValidationError) as error:
        services.case_reject(actor=harry, case=new_case, reason="   ")
    assert "เหตุผล" in str(error.value)
    assert Complaint.objects.get(pk=new_case.pk).status == Status.RECEIVED


def test_side_effects_wait_for_the_commit(
    new_case, harry, alice, team, tom, django_capture_on_commit_callbacks, mailoutbox
):
    harry.email = "harry@example.go.th"
    harry.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_propose_assignment(actor=alice, case=new_case, team=team)
    assert len(callbacks) == 1 and mailoutbox == []  # nothing sent before commit
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert [m.to for m in mailoutbox] == [["harry@example.go.th"]]
    assert new_case.number in mailoutbox[0].subject
    assert harry.notifications.filter(complaint=new_case, read_at__isnull=True).count() == 1
