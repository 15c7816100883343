"""Reading cases through the API: the list in keyset pages, a case with its parties (masked
as the case page masks them), its files and the actions its reader may take now, its
timeline; and nothing of a case out of the reader's sight."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent, Kind
from cases import services
from cases.files import store_attachment
from cases.models import Complainant, Status
from cases.services import ComplainantData, case_intake
from tests.api.conftest import photo
from tests.case_fixtures import intake_data
from workflows import engine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- The list -----------------------------------------------------------------------------------


def test_tom_lists_his_teams_cases_newest_first(device, tom, case_in, alice, other_team):
    assigned, investigating = case_in(Status.ASSIGNED), case_in(Status.INVESTIGATING)
    # a case of Mueang Ratchaburi with no team yet, and one of another team: not Tom's to see
    case_in(Status.RECEIVED)
    elsewhere = case_in(Status.ASSIGNED)
    elsewhere.team = other_team
    elsewhere.save()

    body = device(tom).get("/api/v1/cases/").json()

    assert [row["id"] for row in body["results"]] == [investigating.pk, assigned.pk]
    assert body["next"] is None
    row = body["results"][1]
    assert row == {
        "id": assigned.pk,
        "number": assigned.number,
        "subject": "บุกรุกที่สาธารณะริมคลองหนองหว้า",
        "status": "assigned",
        "status_label": "มอบหมายแล้ว รอชุดปฏิบัติการรับเรื่อง",
        "category": "บุกรุกที่ดินสาธารณประโยชน์",
        "district": "เมืองราชบุรี",
        "subdistrict": "หน้าเมือง",
        "received_on": assigned.received_on.isoformat(),
        "updated_at": row["updated_at"],
        "location": None,
        "overdue": False,
    }


def test_the_list_filters_by_status_and_refuses_an_unknown_one(device, tom, case_in):
    case_in(Status.ASSIGNED)
    investigating = case_in(Status.INVESTIGATING)
    phone = device(tom)

    assert [r["id"] for r in phone.get("/api/v1/cases/", {"status": "investigating"}).json()["results"]] == [
        investigating.pk
    ]
    refused = phone.get("/api/v1/cases/", {"status": "lost"})
    assert refused.status_code == 400 and "status" in refused.json()["fields"]


def test_mine_is_my_teams_cases_and_the_cases_of_my_tasks(device, alice, tom, case_in):
    assigned = case_in(Status.ASSIGNED)
    received = case_in(Status.RECEIVED)

    assert [r["id"] for r in device(tom).get("/api/v1/cases/", {"mine": "1"}).json()["results"]] == [assigned.pk]
    # Alice sees her district's cases; hers are those whose task she holds.
    phone = device(alice)
    assert phone.get("/api/v1/cases/", {"mine": "1"}).json()["results"] == []
    engine.claim(engine.open_tasks(received).get(), alice)
    assert [r["id"] for r in phone.get("/api/v1/cases/", {"mine": "1"}).json()["results"]] == [received.pk]
    assert len(phone.get("/api/v1/cases/").json()["results"]) == 2


def test_pages_follow_each_other_without_overlap(device, alice):
    for n in range(27):
        case_intake(actor=alice, district=alice.district, data=intake_data(subject=f"เรื่องที่ {n}"))
    phone = device(alice)

    first = phone.get("/api/v1/cases/").json()
    second = phone.get(first["next"]).json()

    assert len(first["results"]) == 25 and len(second["results"]) == 2
    assert second["next"] is None
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 27 and ids == sorted(ids, reverse=True)
    # A cursor typed by hand is no cursor: the first page.
    assert phone.get("/api/v1/cases/", {"cursor": "not-a-cursor"}).json()["results"] == first["results"]


def count_queries(phone, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert phone.get(url).status_code == 200
    return len(queries)


def test_a_list_page_costs_the_same_queries_with_2_and_with_10_cases(device, tom, case_in):
    phone = device(tom)
    for _ in range(2):
        case_in(Status.INVESTIGATING)
    phone.get("/api/v1/cases/")  # the token's last use is written once a minute, not counted
    few = count_queries(phone, "/api/v1/cases/")
    for _ in range(8):
        case_in(Status.INVESTIGATING)
    many = count_queries(phone, "/api/v1/cases/")

    assert len(phone.get("/api/v1/cases/").json()["results"]) == 10
    assert few == many, (few, many)
    # and the tasks list alike
    few_tasks = count_queries(phone, "/api/v1/tasks/?tab=queue")
    case_in(Status.ASSIGNED)
    case_in(Status.ASSIGNED)
    assert count_queries(phone, "/api/v1/tasks/?tab=queue") == few_tasks


# --- One case ------------------------------------------------------------------------------------


def test_a_case_with_its_parties_files_and_the_actions_tom_may_take(device, tom, case_in, alice):
    case = case_in(Status.ASSIGNED)
    picture = store_attachment(case=case, uploaded=photo(), actor=alice, description="หน้างาน")

    body = device(tom).get(f"/api/v1/cases/{case.pk}/").json()

    assert body["number"] == case.number and body["version"] == "assigned"
    assert body["description"].startswith("มีผู้ปลูกสร้างเพิงพัก")
    assert body["incident_place"] == "ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี"
    assert body["complainants"] == [
        {"name": "นางสมใจ ทองดี", "phone": "0812345678", "address": None, "confidential": False}
    ]
    assert body["respondents"][0]["name"] == "นายสมหมาย ใจร้าย"
    assert body["attachments"] == [
        {
            "id": picture.pk,
            "name": "ภาพ.jpg",
            "content_type": "image/jpeg",
            "size": picture.size,
            "kind": "photo",
            "description": "หน้างาน",
            "uploaded_at": body["attachments"][0]["uploaded_at"],
            "progress_report": None,
            "url": f"/api/v1/cases/{case.pk}/attachments/{picture.pk}/",
            "thumbnail_url": f"/api/v1/cases/{case.pk}/attachments/{picture.pk}/?thumbnail=1",
        }
    ]
    assert body["actions"] == [
        {
            "name": "accept",
            "label": "รับเรื่องไปดำเนินการ",
            "url": f"/api/v1/cases/{case.pk}/actions/accept/",
            "method": "POST",
            "fields": [{"name": "note", "label": "บันทึกเพิ่มเติม", "type": "text", "required": False, "max_length": 4000}],
        }
    ]


def test_the_actions_follow_the_state_and_the_reader(device, tom, harry, case_in):
    investigating = case_in(Status.INVESTIGATING)
    pending = case_in(Status.RESOLUTION_PENDING)

    tom_actions = [a["name"] for a in device(tom).get(f"/api/v1/cases/{investigating.pk}/").json()["actions"]]
    head = device(harry).get(f"/api/v1/cases/{pending.pk}/").json()["actions"]

    assert tom_actions == ["report_progress", "propose_resolution"]
    assert [a["name"] for a in head] == ["approve_closure", "send_back_resolution"]
    closure = next(a for a in head if a["name"] == "approve_closure")
    outcome = next(f for f in closure["fields"] if f["name"] == "outcome")
    assert outcome["type"] == "choice" and {"value": "resolved", "label": "แก้ไขปัญหาได้"} in outcome["choices"]


def test_a_location_is_a_point(device, tom, case_in):
    case = case_in(Status.ASSIGNED)
    type(case).objects.filter(pk=case.pk).update(latitude="13.536530", longitude="99.817100")

    body = device(tom).get(f"/api/v1/cases/{case.pk}/").json()

    assert body["location"] == {"lat": 13.53653, "lng": 99.8171}


def test_the_timeline_says_who_did_what(device, tom, case_in, alice):
    case = case_in(Status.ASSIGNED)
    services.case_accept(actor=tom, case=case, note="ลงพื้นที่พรุ่งนี้")

    body = device(tom).get(f"/api/v1/cases/{case.pk}/timeline/").json()

    assert body["number"] == case.number
    assert [(e["action"], e["label"], e["actor"]) for e in body["results"]] == [
        ("intake", "รับเรื่อง", alice.get_full_name()),
        ("accept", "รับเรื่องไปดำเนินการ", tom.get_full_name()),
    ]
    accepted = body["results"][1]
    assert (accepted["from_status"], accepted["to_status"], accepted["note"]) == (
        "assigned",
        "investigating",
        "ลงพื้นที่พรุ่งนี้",
    )


# --- Confidential complainants -----------------------------------------------------------------


@pytest.fixture
def confidential_case(case_in):
    case = case_in(Status.ASSIGNED)
    Complainant.objects.filter(complaint=case).update(is_confidential=True, address="12 หมู่ 3")
    return case


def test_a_confidential_complainant_is_masked_for_tom_as_on_the_case_page(device, tom, confidential_case, signed_in):
    body = device(tom).get(f"/api/v1/cases/{confidential_case.pk}/").json()

    assert body["complainants"] == [{"name": "ปกปิดข้อมูลผู้ร้อง", "phone": None, "address": None, "confidential": True}]
    assert "สมใจ" not in str(body) and "0812345678" not in str(body)
    assert not AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW).exists()
    # the web page masks him too
    page = signed_in(tom).get(f"/cases/{confidential_case.pk}/").content.decode()
    assert "ปกปิดข้อมูลผู้ร้อง" in page and "0812345678" not in page


def test_the_head_sees_a_confidential_complainant_and_it_is_logged(device, harry, confidential_case):
    body = device(harry).get(f"/api/v1/cases/{confidential_case.pk}/").json()

    assert body["complainants"] == [
        {"name": "นางสมใจ ทองดี", "phone": "0812345678", "address": "12 หมู่ 3", "confidential": True}
    ]
    row = AuditEvent.objects.get(kind=Kind.PERSONAL_DATA_VIEW)
    assert row.actor_id == harry.pk and row.complaint_id == confidential_case.pk
    assert row.detail == f"complainant:{confidential_case.complainants.get().pk}"


def test_tom_sees_the_complainant_once_he_handles_the_case(device, tom, confidential_case):
    phone = device(tom)
    phone.post(f"/api/v1/cases/{confidential_case.pk}/actions/accept/", {"expected_status": "assigned"})

    body = phone.get(f"/api/v1/cases/{confidential_case.pk}/").json()

    assert body["complainants"][0]["phone"] == "0812345678"
    assert AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=tom.pk).exists()


def test_an_anonymous_complainant_is_named_as_such(device, tom, alice, team):
    data = intake_data(complainants=[ComplainantData(is_anonymous=True)])
    case, _ = case_intake(actor=alice, district=alice.district, data=data)
    services.case_propose_assignment(actor=alice, case=case, team=team)

    body = device(alice).get(f"/api/v1/cases/{case.pk}/").json()

    assert body["complainants"][0]["name"] == "ไม่ประสงค์ออกนาม"


# --- Out of sight --------------------------------------------------------------------------------


def test_bob_of_ban_pong_gets_404_for_a_mueang_case_and_learns_nothing(device, bob, case_in, alice, tmp_path):
    case = case_in(Status.ASSIGNED)
    picture = store_attachment(case=case, uploaded=photo(), actor=alice)
    phone = device(bob)

    answers = [
        phone.get(f"/api/v1/cases/{case.pk}/"),
        phone.get(f"/api/v1/cases/{case.pk}/timeline/"),
        phone.get(f"/api/v1/cases/{case.pk}/attachments/{picture.pk}/"),
        phone.get(f"/api/v1/cases/{case.pk}/attachments/{picture.pk}/?thumbnail=1"),
        phone.post(f"/api/v1/cases/{case.pk}/actions/accept/", {"expected_status": "assigned"}),
        phone.post_form(f"/api/v1/cases/{case.pk}/progress/", {"note": "x", "expected_status": "assigned"}),
        phone.post_form(f"/api/v1/cases/{case.pk}/attachments/", {"file": photo()}),
    ]

    for answer in answers:
        assert answer.status_code == 404, answer.request["PATH_INFO"]
        assert answer.json() == {"code": "not_found", "message": "ไม่พบข้อมูลที่ขอ"}
    assert case.number not in str(phone.get("/api/v1/cases/").json())
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.attachments.count() == 1


def test_a_case_that_does_not_exist_is_the_same_404(device, bob):
    response = device(bob).get("/api/v1/cases/999999999/")

    assert response.status_code == 404 and response.json()["code"] == "not_found"
