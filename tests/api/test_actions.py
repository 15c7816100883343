"""Acting on a case through the API: the registry's actions with their forms' fields, the
state machine's refusal as a 409 with what the server now says, and a request sent twice
with the same Idempotency-Key acting once."""

import uuid

import pytest

from api.models import IdempotencyRecord
from audit.models import AuditEvent, Kind
from cases.models import CaseEvent, Complainant, Complaint, Status

pytestmark = pytest.mark.django_db


def action_url(case, name):
    return f"/api/v1/cases/{case.pk}/actions/{name}/"


def test_tom_accepts_reports_and_proposes_a_resolution(device, tom, case_in):
    case = case_in(Status.ASSIGNED)
    phone = device(tom)

    accepted = phone.post(action_url(case, "accept"), {"expected_status": "assigned", "note": "ลงพื้นที่พรุ่งนี้"})
    assert accepted.status_code == 200
    assert accepted.json()["version"] == "investigating"
    assert [a["name"] for a in accepted.json()["actions"]] == ["report_progress", "propose_resolution"]

    reported = phone.post(action_url(case, "report_progress"), {"expected_status": "investigating", "text": "เจรจาแล้ว"})
    assert reported.status_code == 200 and reported.json()["version"] == "investigating"

    proposed = phone.post(
        action_url(case, "propose_resolution"),
        {"expected_status": "investigating", "outcome": "resolved", "summary": "ผู้ถูกร้องรื้อถอนเพิงพักแล้ว"},
    )
    assert proposed.status_code == 200
    assert proposed.json()["version"] == "resolution_pending" and proposed.json()["actions"] == []

    case.refresh_from_db()
    assert (case.status, case.proposed_outcome) == (Status.RESOLUTION_PENDING, "resolved")
    steps = list(case.events.values_list("action", "actor_id", "note"))
    assert steps[1:] == [
        ("accept", tom.pk, "ลงพื้นที่พรุ่งนี้"),
        ("report_progress", tom.pk, "เจรจาแล้ว"),
        ("propose_resolution", tom.pk, "ผู้ถูกร้องรื้อถอนเพิงพักแล้ว"),
    ]


def test_the_head_approves_through_the_same_endpoint(device, harry, case_in):
    case = case_in(Status.RESOLUTION_PENDING)

    phone = device(harry)
    offered = next(
        a for a in phone.get(f"/api/v1/cases/{case.pk}/").json()["actions"] if a["name"] == "approve_closure"
    )
    # the proposal comes filled in, as on the web's form
    filled = {field["name"]: field["initial"] for field in offered["fields"]}
    assert filled == {"outcome": "resolved", "summary": "ไกล่เกลี่ยแล้ว ผู้ถูกร้องรื้อถอนเพิงพัก"}

    response = phone.post(offered["url"], {"expected_status": "resolution_pending", **filled})

    assert response.status_code == 200 and response.json()["version"] == "closed"


def test_a_case_moved_meanwhile_is_a_conflict_with_what_the_server_now_says(device, tom, harry, case_in):
    # given Tom's phone saw the case assigned, and the head then took it back (the state moved on)
    case = case_in(Status.ASSIGNED)
    phone = device(tom)
    seen = phone.get(f"/api/v1/cases/{case.pk}/").json()["version"]
    Complaint.objects.filter(pk=case.pk).update(status=Status.INVESTIGATING)

    # when the phone sends its acceptance
    response = phone.post(action_url(case, "accept"), {"expected_status": seen, "note": "ลงพื้นที่"})

    # then it is refused in plain Thai, with the case as it is now
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert "มีผู้ดำเนินการไปก่อนแล้ว" in body["message"] and "อยู่ระหว่างดำเนินการ" in body["message"]
    assert body["case"]["version"] == "investigating" and body["case"]["number"] == case.number
    assert not CaseEvent.objects.filter(complaint=case, action="accept").exists()


def test_an_action_the_state_does_not_allow_is_a_conflict(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)

    response = device(tom).post(action_url(case, "accept"), {"expected_status": "investigating"})

    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and response.json()["case"]["version"] == "investigating"


def test_an_action_the_rule_does_not_allow_is_forbidden(device, alice, case_in):
    # Alice sees the case (her district) but accepting is the team's
    case = case_in(Status.ASSIGNED)

    response = device(alice).post(action_url(case, "accept"), {"expected_status": "assigned"})

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden" and "รับเรื่องไปดำเนินการ" in response.json()["message"]


def test_the_forms_fields_are_checked_and_named(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)

    missing = phone.post(action_url(case, "propose_resolution"), {"expected_status": "investigating", "outcome": "x"})
    no_status = phone.post(action_url(case, "accept"), {})
    nested = phone.post(action_url(case, "report_progress"), {"expected_status": "investigating", "text": {"a": 1}})

    assert missing.status_code == 400
    assert set(missing.json()["fields"]) == {"outcome", "summary"}
    assert missing.json()["code"] == "invalid" and missing.json()["message"]
    assert "expected_status" in no_status.json()["fields"]
    assert nested.status_code == 400 and "text" in nested.json()["fields"]


def test_an_unknown_action_is_404(device, tom, case_in):
    case = case_in(Status.ASSIGNED)

    assert device(tom).post(action_url(case, "teleport"), {"expected_status": "assigned"}).status_code == 404


def test_a_body_that_is_not_json_is_a_400(device, tom, case_in):
    case = case_in(Status.ASSIGNED)
    phone = device(tom)

    response = phone.client.post(
        action_url(case, "accept"), "{not json", content_type="application/json", headers=phone._headers(None)
    )

    assert response.status_code == 400 and response.json()["code"] == "parse_error"


# --- Idempotency --------------------------------------------------------------------------------


def test_the_same_key_twice_acts_once_and_answers_the_same(device, tom, case_in):
    case = case_in(Status.ASSIGNED)
    phone = device(tom)
    key = str(uuid.uuid4())
    body = {"expected_status": "assigned", "note": "ส่งจากคิวออฟไลน์"}

    first = phone.post(action_url(case, "accept"), body, headers={"Idempotency-Key": key})
    again = phone.post(action_url(case, "accept"), body, headers={"Idempotency-Key": key})

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert CaseEvent.objects.filter(complaint=case, action="accept").count() == 1
    assert IdempotencyRecord.objects.get().user == tom


def test_a_key_is_its_users_own(device, tom, nora, team, case_in):
    case = case_in(Status.INVESTIGATING)
    team.memberships.create(user=nora)
    key = str(uuid.uuid4())
    body = {"expected_status": "investigating", "text": "รายงาน"}

    device(tom).post(action_url(case, "report_progress"), body, headers={"Idempotency-Key": key})
    response = device(nora).post(action_url(case, "report_progress"), body, headers={"Idempotency-Key": key})

    assert "Idempotent-Replayed" not in response
    assert CaseEvent.objects.filter(complaint=case, action="report_progress").count() == 2


def test_a_key_used_for_another_request_is_refused(device, tom, case_in):
    first, second = case_in(Status.ASSIGNED), case_in(Status.ASSIGNED)
    phone = device(tom)
    key = str(uuid.uuid4())
    phone.post(action_url(first, "accept"), {"expected_status": "assigned"}, headers={"Idempotency-Key": key})

    response = phone.post(
        action_url(second, "accept"), {"expected_status": "assigned"}, headers={"Idempotency-Key": key}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Complaint.objects.get(pk=second.pk).status == Status.ASSIGNED


def test_a_refused_request_keeps_no_answer_and_may_be_sent_again(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)
    key = str(uuid.uuid4())

    refused = phone.post(
        action_url(case, "report_progress"), {"expected_status": "investigating"}, headers={"Idempotency-Key": key}
    )
    fixed = phone.post(
        action_url(case, "report_progress"),
        {"expected_status": "investigating", "text": "พิมพ์เพิ่มแล้ว"},
        headers={"Idempotency-Key": key},
    )

    assert refused.status_code == 400
    assert fixed.status_code == 200 and "Idempotent-Replayed" not in fixed
    assert IdempotencyRecord.objects.count() == 1


def test_a_malformed_key_is_refused(device, tom, case_in):
    case = case_in(Status.ASSIGNED)

    response = device(tom).post(
        action_url(case, "accept"), {"expected_status": "assigned"}, headers={"Idempotency-Key": "ไม่ใช่ คีย์"}
    )

    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_invalid"
    assert Complaint.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_a_conflict_that_shows_a_confidential_complainant_logs_it_even_with_a_key(device, harry, case_in):
    # given the head's phone saw the case waiting for his approval; it moved on meanwhile
    case = case_in(Status.ASSIGNMENT_PENDING)
    Complainant.objects.filter(complaint=case).update(is_confidential=True)
    Complaint.objects.filter(pk=case.pk).update(status=Status.ASSIGNED)

    # when his queued approval arrives with its key
    response = device(harry).post(
        action_url(case, "approve_assignment"),
        {"expected_status": "assignment_pending"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )

    # then the conflict shows him the complainant, and that is in the audit log (the refused
    # request's transaction took nothing of it back)
    assert response.status_code == 409
    assert response.json()["case"]["complainants"][0]["name"] == "นางสมใจ ทองดี"
    assert AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=harry.pk).count() == 1
    assert not IdempotencyRecord.objects.exists()
