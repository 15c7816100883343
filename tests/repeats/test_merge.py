"""Merging a case into the case kept for the same grievance (issue 11 §3).

Somjai Thongdee files the same encroachment twice at Mueang Ratchaburi. Harry, the head who
closes the district's cases, merges the second into the first: it closes as "merged" with
the summary "รวมกับเรื่องเลขที่ …", its task ends, both timelines and both audit trails say
so; its number opens the first case, whose page lists it with its complainant and files;
Somjai's tracking page of the second case follows the first. The resolution rate counts
the grievance once, and the merge is no resolution.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AuditEvent, Kind
from cases import services as case_services
from cases.actions import available
from cases.models import CaseEvent, Complaint, Outcome, Status
from cases.services import ComplainantData, case_intake
from repeats import services
from repeats.models import Relation, RepeatLink
from tests.case_fixtures import intake_data
from tests.factories import UserFactory
from tests.repeats.conftest import case_page
from workflows import engine
from workflows.selectors import resolution_rate

pytestmark = pytest.mark.django_db


def photo(name="หลักฐาน.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def kept(alice):
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    return case


@pytest.fixture
def repeat(alice, kept):
    """The same grievance from the same complainant, filed again, with a photo."""
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    case_services.case_attach(actor=alice, case=case, uploaded=photo())
    return case


def merge(actor, case, into, **kwargs):
    return services.merge(actor=actor, case=Complaint.objects.get(pk=case.pk), into=into, **kwargs)


# --- The merge ----------------------------------------------------------------------------------


def test_the_head_merges_a_repeat_into_the_kept_case(signed_in, harry, kept, repeat):
    client = signed_in(harry)
    page = case_page(client, repeat)
    # The panel offers the merge on the candidate found as the same grievance from the same person.
    assert 'data-testid="repeat-merge"' in page
    assert client.get(reverse("repeats:merge", args=[repeat.pk]) + f"?into={kept.number}").status_code == 200
    response = client.post(
        reverse("repeats:merge", args=[repeat.pk]),
        {"into": kept.number, "note": "ผู้ร้องยื่นซ้ำ", "expected_status": repeat.status},
    )
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()
    repeat.refresh_from_db()
    assert (repeat.status, repeat.outcome, repeat.merged_into) == (Status.CLOSED, Outcome.MERGED, kept)
    assert repeat.closing_summary == f"รวมกับเรื่องเลขที่ {kept.number}"
    # Its workflow ended with it; the kept case's goes on.
    assert engine.check_case(repeat) == [] and not engine.open_tasks(repeat).exists()
    assert engine.current_process(repeat) is None
    assert engine.check_case(Complaint.objects.get(pk=kept.pk)) == []
    # A step on both timelines, and on both audit trails.
    merged_step = CaseEvent.objects.get(complaint=repeat, action="merge")
    assert merged_step.actor == harry and kept.number in merged_step.note and "ผู้ร้องยื่นซ้ำ" in merged_step.note
    assert merged_step.data["into"] == kept.pk
    joined = CaseEvent.objects.get(complaint=kept, action="merged_in")
    assert repeat.number in joined.note and joined.data["merged"] == repeat.pk
    assert AuditEvent.objects.filter(kind=Kind.TRANSITION, complaint_id=repeat.pk, action="merge").exists()
    row = AuditEvent.objects.get(kind=Kind.TRANSITION, complaint_id=kept.pk, action="merged_in")
    assert row.after == {"merged_case": repeat.pk} and row.actor_id == harry.pk
    # The two are linked as merged: the relation the merge rests on is kept.
    assert RepeatLink.objects.get(case=repeat, other=kept, relation=Relation.GRIEVANCE).state == "merged"


def test_the_merged_case_number_and_address_open_the_kept_case(signed_in, harry, alice, kept, repeat):
    merge(harry, repeat, kept)
    client = signed_in(alice)
    response = client.get(repeat.get_absolute_url(), follow=True)
    assert response.redirect_chain == [(kept.get_absolute_url(), 302)]
    assert f"เรื่องเลขที่ {repeat.number} รวมกับเรื่องเลขที่ {kept.number} แล้ว" in response.content.decode()
    # Searching by its number finds the kept case.
    response = client.get(reverse("cases:list"), {"q": repeat.number})
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()
    # Its own record stays, saying where it went.
    page = case_page(client, repeat, "?merged=1")
    assert 'data-testid="merged-into"' in page and kept.number in page
    # The merge is no button among the case's actions, and its generic page sends to the merge page.
    assert "merge" not in {action.name for action in available(harry, Complaint.objects.get(pk=kept.pk))}
    response = signed_in(harry).get(reverse("cases:action", args=[kept.pk, "merge"]))
    assert response["Location"] == reverse("repeats:merge", args=[kept.pk])


def test_the_kept_case_lists_the_merged_one_with_its_complainants_and_files(signed_in, harry, amy, alice):
    # given: the second filing asked for its complainant to be kept confidential
    kept, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    secret = intake_data(
        complainants=[
            ComplainantData(title="นาง", first_name="สมใจ", last_name="ทองดี", phone="0812345678", is_confidential=True)
        ]
    )
    repeat, _ = case_intake(actor=alice, district=alice.district, data=secret)
    attachment = case_services.case_attach(actor=alice, case=repeat, uploaded=photo())
    merge(harry, repeat, kept)
    # then: the head reads it all, and the identity shown is logged
    page = case_page(signed_in(harry), kept)
    assert 'data-testid="merged-case"' in page and repeat.number in page
    assert "สมใจ ทองดี" in page and reverse("cases:attachment", args=[repeat.pk, attachment.pk]) in page
    assert AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=harry.pk, complaint_id=repeat.pk).exists()
    # and a colleague who does not handle it reads the files, the person masked
    page = case_page(signed_in(amy), kept)
    assert 'data-testid="merged-case"' in page and "ปกปิดข้อมูลผู้ร้อง" in page
    merged_part = page.split('data-testid="merged-cases"')[1].split("</ul>")[0]
    assert "ทองดี" not in merged_part and "0812345678" not in merged_part
    assert signed_in(amy).get(reverse("cases:attachment", args=[repeat.pk, attachment.pk])).status_code == 200


# --- What is refused ----------------------------------------------------------------------------


def test_a_merge_is_refused_with_a_message_and_changes_nothing(signed_in, harry, alice, kept, repeat):
    client = signed_in(harry)
    url = reverse("repeats:merge", args=[repeat.pk])
    for into, message in ((repeat.number, "รวมเรื่องเข้ากับตัวเองไม่ได้"), ("9999/2569/000001", "ไม่พบเรื่องเลขที่นี้")):
        response = client.post(url, {"into": into, "expected_status": repeat.status})
        assert response.status_code == 400 and message in response.content.decode()
    # Only the head who closes the case merges it.
    with pytest.raises(case_services.ActionRefused):
        merge(alice, repeat, kept)
    response = signed_in(alice).get(url, follow=True)
    assert "เฉพาะหัวหน้าศูนย์ฯ" in response.content.decode()
    repeat.refresh_from_db()
    assert repeat.is_open and repeat.merged_into is None
    assert not CaseEvent.objects.filter(action__in=["merge", "merged_in"]).exists()


def test_only_the_same_grievance_from_the_same_complainant_is_merged(harry, alice, kept):
    # The same encroachment, complained about by someone else: the same grievance, another person.
    neighbour, _ = case_intake(
        actor=alice, district=alice.district,
        data=intake_data(complainants=[ComplainantData(title="นาย", first_name="ประยุทธ", last_name="มั่นคง", phone="0899999999")]),
    )  # fmt: skip
    with pytest.raises(case_services.ValidationError) as refused:
        merge(harry, neighbour, kept)
    assert "ผู้ร้องรายเดิม" in str(refused.value)
    # Once an officer links them as the same complainant (he knows the family), it may.
    services.link(actor=alice, case=neighbour, other=kept, relation=Relation.COMPLAINANT, note="สามีภรรยา ร้องแทนกัน")
    merge(harry, neighbour, kept)
    assert Complaint.objects.get(pk=neighbour.pk).merged_into_id == kept.pk


def test_a_closed_case_is_not_merged_into_an_open_one(harry, alice, kept, case_in):
    closed = case_in(Status.CLOSED)
    with pytest.raises(case_services.ActionRefused, match="รวมเรื่องที่ยังดำเนินการอยู่เข้ากับเรื่องนี้แทน"):
        merge(harry, closed, kept)
    # The other way round is the way: the open one into the closed one.
    merge(harry, kept, closed)
    assert Complaint.objects.get(pk=kept.pk).merged_into_id == closed.pk


def test_a_merge_into_a_merged_case_goes_to_the_case_kept_in_the_end(harry, alice, kept, repeat):
    merge(harry, repeat, kept)
    third, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    merge(harry, third, repeat)
    third.refresh_from_db()
    assert third.merged_into_id == kept.pk and third.closing_summary == f"รวมกับเรื่องเลขที่ {kept.number}"
    # And never back into itself.
    with pytest.raises(case_services.ValidationError, match="รวมเข้ากับเรื่องนี้อยู่แล้ว"):
        case_services.case_merge(actor=harry, case=Complaint.objects.get(pk=kept.pk), into=repeat)


def test_a_case_out_of_the_heads_sight_is_not_merged_into(harry, hank, bob, kept):
    bobs, _ = case_intake(actor=bob, district=bob.district, data=intake_data())
    with pytest.raises(case_services.ActionRefused, match="ไม่มีสิทธิ์เห็นเรื่องเลขที่"):
        merge(hank, bobs, kept)
    assert Complaint.objects.get(pk=bobs.pk).is_open


def test_a_merged_case_reopened_is_a_case_of_its_own_again(harry, kept, repeat):
    merge(harry, repeat, kept)
    case_services.case_reopen(actor=harry, case=Complaint.objects.get(pk=repeat.pk), reason="ไม่ใช่เรื่องเดียวกัน")
    repeat.refresh_from_db()
    assert repeat.status == Status.RECEIVED and repeat.merged_into is None and repeat.outcome == ""


# --- The figures --------------------------------------------------------------------------------


def test_the_resolution_rate_counts_a_merged_grievance_once(harry, alice, tom, team, kept, repeat):
    since = timezone.now() - dt.timedelta(hours=1)
    merge(harry, repeat, kept)
    case = Complaint.objects.get(pk=kept.pk)
    case_services.case_propose_assignment(actor=alice, case=case, team=team)
    case_services.case_approve_assignment(actor=harry, case=case)
    case_services.case_accept(actor=tom, case=case)
    case_services.case_propose_resolution(actor=tom, case=case, outcome=Outcome.RESOLVED, summary="รื้อถอนแล้ว")
    case_services.case_approve_closure(actor=harry, case=case)
    rate = resolution_rate(Complaint.objects.filter(district_id="7001"), since=since)
    # Two cases closed, one grievance, resolved: 1 of 1, not 1 of 2 (50 %) nor 2 of 2.
    assert (rate.closed, rate.resolved, rate.percent) == (1, 1, 100.0)


def test_a_merge_alone_is_no_resolution(harry, kept, repeat):
    since = timezone.now() - dt.timedelta(hours=1)
    merge(harry, repeat, kept)
    rate = resolution_rate(Complaint.objects.all(), since=since)
    assert (rate.closed, rate.resolved, rate.percent) == (0, 0, None)
    # And no head may propose "merged" as a resolution's outcome.
    with pytest.raises(case_services.ValidationError):
        case_services._validate_outcome(Outcome.MERGED)


# --- The complainant's tracking page ------------------------------------------------------------


def test_the_merged_case_tracking_page_follows_the_kept_case(client, harry, kept, repeat):
    merge(harry, repeat, kept)
    page = client.get(reverse("public:track_case", args=[repeat.tracking_code])).content.decode()
    assert 'data-testid="tracking-merged"' in page
    assert "รวมเรื่องนี้เข้ากับเรื่องร้องเรียนเรื่องเดียวกัน" in page
    # It shows the kept case's progress, never its number, code or anyone's name.
    assert kept.tracking_code not in page and kept.number not in page and "สมใจ" not in page
    assert "อยู่ระหว่างพิจารณา" in page  # the kept case is still being considered


def test_each_complainant_keeps_his_own_notices(
    settings, django_capture_on_commit_callbacks, mailoutbox, harry, alice, tom, team
):
    settings.CITIZEN_NOTICE_SENDERS = {"email": "citizens.notices.senders.EmailSender"}
    somjai = ComplainantData(
        title="นาง", first_name="สมใจ", last_name="ทองดี", phone="0812345678", email="somjai@example.com"
    )
    with django_capture_on_commit_callbacks(execute=True):
        kept, _ = case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[somjai]))
        repeat, _ = case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[somjai]))
    mailoutbox.clear()
    # The merge: she is told, under the case she filed, that it joined the one being handled.
    with django_capture_on_commit_callbacks(execute=True):
        merge(harry, repeat, kept)
    (told,) = mailoutbox
    assert repeat.number in told.subject and "รวมกับเรื่องเดียวกัน" in told.subject
    assert repeat.tracking_code in told.body or "รหัสติดตามเรื่อง" in told.body
    # The kept case's steps reach her too, each as a notice of her own case.
    mailoutbox.clear()
    case = Complaint.objects.get(pk=kept.pk)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_propose_assignment(actor=alice, case=case, team=team)
        case_services.case_approve_assignment(actor=harry, case=case)
    subjects = sorted(message.subject for message in mailoutbox)
    assert len(subjects) == 2 and any(kept.number in s for s in subjects) and any(repeat.number in s for s in subjects)


# --- Two heads at once --------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs on it")
def test_two_heads_merging_two_cases_each_into_the_other_make_no_cycle(harry, alice, geography):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    deputy = UserFactory(first_name="รองนายอำเภอ", roles=["district_head"], district="7001")
    one, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    two, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    start = threading.Barrier(2)

    def merge_into(actor, case, into):
        try:
            start.wait()
            services.merge(actor=actor, case=Complaint.objects.get(pk=case.pk), into=Complaint.objects.get(pk=into.pk))
            return "ok"
        except (case_services.ActionRefused, case_services.ValidationError) as refused:
            return refused
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [pool.submit(merge_into, harry, one, two), pool.submit(merge_into, deputy, two, one)]
        outcomes = [future.result(timeout=600) for future in results]
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    merged = [case for case in Complaint.objects.filter(pk__in=[one.pk, two.pk]) if case.merged_into_id]
    assert len(merged) == 1 and Complaint.objects.get(pk=merged[0].merged_into_id).merged_into_id is None
