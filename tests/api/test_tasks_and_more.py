"""Tasks (mine, the queue, claim and release), notifications, categories and geography."""

import pytest

from cases.models import Status
from workflows import engine
from workflows.models import Notification
from workflows.notify import notify

pytestmark = pytest.mark.django_db


# --- Tasks -----------------------------------------------------------------------------------------


def test_an_assigned_case_waits_in_toms_queue_to_be_accepted(device, tom, case_in):
    case = case_in(Status.ASSIGNED)

    body = device(tom).get("/api/v1/tasks/", {"tab": "queue"}).json()

    assert body["next"] is None
    [task] = body["results"]
    assert task["case"]["id"] == case.pk and task["case"]["number"] == case.number
    assert task["owner"] is None
    # taking it is accepting the case (the inbox's one button), not a claim
    assert task["opening_action"] == "accept"
    assert task["label"] and task["task"]


def test_tom_claims_and_releases_a_task(device, tom, case_in):
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)
    [task] = phone.get("/api/v1/tasks/", {"tab": "queue"}).json()["results"]

    claimed = phone.post(f"/api/v1/tasks/{task['id']}/claim/")

    assert claimed.status_code == 200
    assert claimed.json()["owner"] == {"id": tom.pk, "name": tom.get_full_name()}
    assert [t["case"]["id"] for t in phone.get("/api/v1/tasks/").json()["results"]] == [case.pk]
    assert phone.get("/api/v1/tasks/", {"tab": "queue"}).json()["results"] == []

    released = phone.post(f"/api/v1/tasks/{task['id']}/release/")

    assert released.status_code == 200 and released.json()["owner"] is None
    assert phone.get("/api/v1/tasks/").json()["results"] == []


def test_a_task_held_by_someone_else_is_a_conflict(device, tom, nora, team, case_in):
    case = case_in(Status.INVESTIGATING)
    team.memberships.create(user=nora)
    task = engine.open_tasks(case).get()
    engine.claim(task, nora)

    response = device(tom).post(f"/api/v1/tasks/{task.pk}/claim/")

    assert response.status_code == 409 and response.json()["code"] == "taken"
    assert nora.get_full_name() in response.json()["message"]


def test_releasing_a_task_one_does_not_hold_is_refused(device, tom, case_in):
    task = engine.open_tasks(case_in(Status.INVESTIGATING)).get()

    response = device(tom).post(f"/api/v1/tasks/{task.pk}/release/")

    assert response.status_code == 409 and response.json()["code"] == "not_owner"


def test_the_queue_of_another_district_is_404(device, bob, case_in):
    task = engine.open_tasks(case_in(Status.INVESTIGATING)).get()
    phone = device(bob)

    assert phone.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 404
    assert phone.post(f"/api/v1/tasks/{task.pk}/release/").status_code == 404
    assert phone.get("/api/v1/tasks/", {"tab": "queue"}).json()["results"] == []
    task.refresh_from_db()
    assert task.owner_id is None


def test_a_colleague_who_sees_the_case_may_not_claim_the_teams_task(device, alice, case_in):
    task = engine.open_tasks(case_in(Status.INVESTIGATING)).get()

    response = device(alice).post(f"/api/v1/tasks/{task.pk}/claim/")

    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_an_unknown_tab_is_refused(device, tom):
    response = device(tom).get("/api/v1/tasks/", {"tab": "done"})

    assert response.status_code == 400 and "tab" in response.json()["fields"]


# --- Notifications --------------------------------------------------------------------------------


def test_notifications_are_listed_and_marked_read(device, tom, case_in):
    case = case_in(Status.ASSIGNED)
    notify([tom], complaint=case, kind="test", key="t:1", data={})
    notify([tom], complaint=None, kind="test", key="t:2", data={})
    Notification.objects.filter(key="t:2").update(message="ข้อความทดสอบ")
    phone = device(tom)

    body = phone.get("/api/v1/notifications/").json()

    assert body["unread"] == 2
    by_case = {n["case"]["id"] if n["case"] else None: n for n in body["results"]}
    assert by_case[case.pk]["case"] == {"id": case.pk, "number": case.number, "subject": case.subject}
    assert by_case[None]["text"] == "ข้อความทดสอบ"

    one = phone.post("/api/v1/notifications/read/", {"ids": [by_case[None]["id"]]})
    assert one.json() == {"marked": 1}
    rest = phone.post("/api/v1/notifications/read/")
    assert rest.json() == {"marked": 1}
    assert phone.get("/api/v1/notifications/").json()["unread"] == 0


def test_a_notice_of_a_case_no_longer_mine_names_only_its_number(device, tom, case_in, other_team):
    case = case_in(Status.ASSIGNED)
    notify([tom], complaint=case, kind="test", key="t:1", data={})
    case.team = other_team
    case.save()

    [notice] = device(tom).get("/api/v1/notifications/").json()["results"]

    assert notice["case"] == {"id": None, "number": case.number, "subject": None}


# --- Reference data ----------------------------------------------------------------------------


def test_categories_with_their_subcategories(device, tom):
    body = device(tom).get("/api/v1/categories/").json()

    land = next(c for c in body["results"] if c["name"] == "ที่ดิน")
    assert {"id", "name", "name_en", "is_other", "children"} <= set(land)
    assert "บุกรุกที่ดินสาธารณประโยชน์" in [sub["name"] for sub in land["children"]]


def test_geography(device, tom):
    phone = device(tom)

    provinces = phone.get("/api/v1/geography/provinces/").json()["results"]
    districts = phone.get("/api/v1/geography/districts/", {"province": "70"}).json()["results"]
    subdistricts = phone.get("/api/v1/geography/subdistricts/", {"district": "7001"}).json()["results"]

    assert len(provinces) == 77 and {"code": "70", "name": "ราชบุรี", "name_en": "Ratchaburi"} in provinces
    assert districts[0]["code"] == "7001" and all(d["code"].startswith("70") for d in districts)
    assert {"code": "700101", "name": "หน้าเมือง"}.items() <= subdistricts[0].items()


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/geography/districts/", {}),
        ("/api/v1/geography/districts/", {"province": "7"}),
        ("/api/v1/geography/subdistricts/", {"district": "70\x0001"}),
    ],
)
def test_a_missing_or_malformed_code_is_a_400(device, tom, url, query):
    response = device(tom).get(url, query)

    assert response.status_code == 400 and response.json()["code"] == "invalid"
