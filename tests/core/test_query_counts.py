"""No officer page's query count grows with the rows it shows (issue 10, the N+1 guard).

Each page is fetched twice by the role that uses it: with 2 rows to show, then with
25 (a full page). The count must be the same: one query for the page's rows and one
per related kind, never one per row. The counts are printed, so a change that adds a
query per page (not per row) is visible in the test output too.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from auditing.replay import forget_stable_names
from cases import services
from cases.models import Status
from core.thai import format_be_input
from exports.services import render
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db

FEW, FULL_PAGE = 2, 25


def count_queries(client, url: str) -> int:
    # Both counts cold: names kept for the process would spare the few rows' page a query
    # that the full page's new districts need (one for all of them, not one each).
    forget_stable_names()
    with CaptureQueriesContext(connection) as queries:
        response = fetch(client, url)
        if response.streaming:  # a file: read to the end
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def fetch(client, url: str):
    """GET a page; for an export (``…/export.csv``), ask for it, make it as the
    worker does, and download it: all three counted, the worker's queries included."""
    if "/export." not in url:
        return client.get(url)
    asked = client.post(url)
    assert asked.status_code == 302, (url, asked.status_code)
    pk = int(asked["Location"].strip("/").split("/")[-1])
    render(pk)
    return client.get(reverse("exports:download", args=[pk]))


def grows(add_rows, client, url: str) -> tuple[int, int]:
    """The page's query count with FEW rows and with FULL_PAGE rows."""
    add_rows(FEW)
    fetch(client, url)  # warm per-process caches (content types, categories) before counting
    few = count_queries(client, url)
    add_rows(FULL_PAGE - FEW)
    full = count_queries(client, url)
    print(f"{url}: {few} queries with {FEW} rows, {full} with {FULL_PAGE}")
    return few, full


def cases_recorded_by(alice, **overrides):
    def add(n):
        for _ in range(n):
            services.case_intake(actor=alice, district=alice.district, data=intake_data(**overrides))

    return add


@pytest.mark.parametrize("who", ["alice", "harry", "paula", "carol", "audrey"])
@pytest.mark.parametrize("query", ["", "?q=คลอง", "?status=received&sort=oldest"])
def test_the_case_list(request, signed_in, alice, who, query):
    client = signed_in(request.getfixturevalue(who))
    few, full = grows(cases_recorded_by(alice), client, f"/cases/{query}")
    assert full == few


@pytest.mark.parametrize("tab", ["", "queue/"])
def test_the_inbox(signed_in, alice, tab):
    client = signed_in(alice)
    add = cases_recorded_by(alice)
    if tab == "":
        # "Mine": the triage tasks Alice has claimed.
        from workflows import engine

        def add(n, add_cases=add):
            add_cases(n)
            for task in engine.CaseTask.objects.filter(owner__isnull=True, status="NEW"):
                engine.claim(task, alice)

    few, full = grows(add, client, f"/inbox/{tab}")
    assert full == few


def test_the_done_tab(signed_in, alice, team):
    client = signed_in(alice)

    def add(n):
        for _ in range(n):
            case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
            services.case_propose_assignment(actor=alice, case=case, team=team)

    few, full = grows(add, client, "/inbox/done/")
    assert full == few


def test_the_home_page(signed_in, alice):
    few, full = grows(cases_recorded_by(alice), signed_in(alice), "/")
    assert full == few


def test_the_dashboard(signed_in, alice, harry, case_in):
    def add(n):
        for _ in range(n):
            case_in(Status.ASSIGNMENT_PENDING)

    few, full = grows(add, signed_in(harry), "/inbox/dashboard/")
    assert full == few


def test_the_notifications(signed_in, alice, amy):
    # Each intake by Alice tells Amy (her fellow officer) it is her turn.
    few, full = grows(cases_recorded_by(alice), signed_in(amy), "/inbox/notifications/")
    assert full == few


@pytest.mark.parametrize("who, page", [("alice", "/cases/{pk}/"), ("harry", "/cases/{pk}/"),
                                       ("audrey", "/audit/cases/{pk}/"), ("alice", "/cases/{pk}/print/"),
                                       ("audrey", "/audit/cases/{pk}/export.csv"),
                                       ("audrey", "/audit/cases/{pk}/export.pdf")])  # fmt: skip
def test_a_case_with_a_long_timeline(request, signed_in, case_in, tom, who, page):
    case = case_in(Status.INVESTIGATING)

    def add(n):
        for i in range(n):
            services.case_report_progress(actor=tom, case=case, text=f"ลงพื้นที่ครั้งที่ {i + 1}")

    few, full = grows(add, signed_in(request.getfixturevalue(who)), page.format(pk=case.pk))
    assert full == few


@pytest.mark.parametrize("page", ["/audit/", "/audit/export.csv"])
def test_the_audit_log(signed_in, alice, audrey, page):
    few, full = grows(cases_recorded_by(alice), signed_in(audrey), page)
    assert full == few


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_the_case_list_export(request, signed_in, alice, who):
    few, full = grows(cases_recorded_by(alice), signed_in(request.getfixturevalue(who)), "/cases/export.csv")
    assert full == few


def test_the_list_of_exports(signed_in, alice, new_case):
    client = signed_in(alice)

    def add(n):
        for _ in range(n):
            client.post(reverse("cases:list_csv"))

    few, full = grows(add, client, "/exports/")
    assert full == few


def test_the_receipt_of_a_case_with_many_complainants(signed_in, alice):
    from tests.case_fixtures import ComplainantData

    def page_of(n):
        people = [
            ComplainantData(title="นาย", first_name=f"ผู้ร้อง{i}", last_name="ทองดี", phone="0812345678") for i in range(n)
        ]
        case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(complainants=people))
        return f"/cases/{case.pk}/receipt/"

    client = signed_in(alice)
    client.get(page_of(FEW))
    few, full = count_queries(client, page_of(FEW)), count_queries(client, page_of(FULL_PAGE))
    print(f"receipt: {few} queries with {FEW} complainants, {full} with {FULL_PAGE}")
    assert full == few


def test_the_share_form_with_many_shares(signed_in, new_case, harry):
    import datetime as dt

    from core.models import District
    from permissions import services as sharing

    districts = iter(District.objects.exclude(pk=new_case.district_id).order_by("code")[:FULL_PAGE])

    def add(n):
        for _ in range(n):
            sharing.share_case(
                actor=harry, case=new_case, district=next(districts), reason="ผู้ถูกร้องอยู่ในเขตนี้",
                expires_on=timezone.localdate() + dt.timedelta(days=7),
            )  # fmt: skip

    few, full = grows(add, signed_in(harry), f"/cases/{new_case.pk}/shares/")
    assert full == few


def test_the_audit_log_naming_many_districts(signed_in, audrey):
    """Each row names its case's district: read for the page at once, not one a row."""
    from core.models import District, Subdistrict
    from tests.factories import UserFactory

    districts = iter(District.objects.filter(subdistricts__isnull=False).distinct().order_by("code")[:FULL_PAGE])

    def add(n):
        for _ in range(n):
            district = next(districts)
            officer = UserFactory(roles=["district_officer"], district=district)
            place = Subdistrict.objects.filter(district=district).order_by("code").first()
            services.case_intake(actor=officer, district=district, data=intake_data(incident_subdistrict=place))

    few, full = grows(add, signed_in(audrey), "/audit/?kind=transition")
    assert full == few


@pytest.mark.parametrize("who", ["alice", "audrey"])
def test_a_case_with_many_files(request, signed_in, new_case, alice, who):
    from tests.cases.test_files import image_bytes, upload

    def add(n):
        for i in range(n):
            services.case_attach(actor=alice, case=new_case, uploaded=upload(f"ภาพ{i}.jpg", image_bytes(size=(80, 60))))

    page = "/cases/{pk}/" if who == "alice" else "/audit/cases/{pk}/"
    few, full = grows(add, signed_in(request.getfixturevalue(who)), page.format(pk=new_case.pk))
    assert full == few


def test_the_case_as_of_a_moment(signed_in, case_in, tom, audrey):
    case = case_in(Status.INVESTIGATING)

    def add(n):
        for i in range(n):
            services.case_report_progress(actor=tom, case=case, text=f"ลงพื้นที่ครั้งที่ {i + 1}")

    today = format_be_input(timezone.localdate())
    few, full = grows(add, signed_in(audrey), f"/audit/cases/{case.pk}/?date={today}&time=23:59")
    assert full == few


def test_the_repeat_check_at_intake(signed_in, alice, bob, monkeypatch):
    """One engine call, then the cards: their cases, the officer's waiting requests and the
    audit rows of those outside his sight, each one statement for all (repeats.display)."""
    from repeats import matching

    found = []

    def find_candidates(draft, *, exclude_ids=(), limit=20):
        return [
            matching.Candidate(complaint_id=case.pk, relation="grievance", score=0.9,
                               reasons=[matching.Reason("similar_text", "ข้อความคล้ายกัน")])
            for case in found
        ]  # fmt: skip

    monkeypatch.setattr(matching, "find_candidates", find_candidates)
    client = signed_in(alice)

    def add(n):  # half in Alice's district, half in Bob's (outside her sight: minimal cards, audited)
        for i in range(n):
            officer = alice if i % 2 else bob
            found.append(services.case_intake(actor=officer, district=officer.district, data=intake_data())[0])

    def count() -> int:
        client.post("/repeats/check/", {"subject": "บุกรุก", "complainant-TOTAL_FORMS": "0"})  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/repeats/check/", {"subject": "บุกรุก", "complainant-TOTAL_FORMS": "0"})
        assert response.status_code == 200
        return len(queries)

    add(FEW)
    few = count()
    add(10 - FEW)  # a panel shows at most ten cases (repeats.display.SHOWN)
    full = count()
    print(f"/repeats/check/: {few} queries with {FEW} candidates, {full} with 10")
    assert full == few


@pytest.mark.parametrize("page", ["repeats:access_requests", "workflows:inbox", "home"])
def test_the_requests_for_access_waiting_for_a_head(signed_in, bob, hank, page):
    """The list page, and the box on the inbox and the start page, with 2 and 25 requests waiting."""
    from permissions.services import request_access
    from tests.factories import UserFactory

    def add(n):
        for _ in range(n):
            case, _ = services.case_intake(actor=bob, district=bob.district, data=intake_data())
            asker = UserFactory(roles=["district_officer"], district="7001")
            request_access(actor=asker, case=case, reason="อาจเป็นเรื่องซ้ำ")

    few, full = grows(add, signed_in(hank), reverse(page))
    assert full == few


def test_a_case_with_many_repeats(signed_in, alice, bob, harry):
    """The repeats panel (repeats.selectors.case_panel): links in and out of sight, merged cases
    with their people and files, candidates and the people's other cases, each read once."""
    from repeats import services as repeats
    from repeats.models import Relation
    from tests.cases.test_files import image_bytes, upload

    kept, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())

    def add(n):
        for _ in range(n):
            i = add.count = getattr(add, "count", -1) + 1
            if i % 3 == 0:  # merged into it, with a file
                case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
                services.case_attach(actor=alice, case=case, uploaded=upload(f"ภาพ{i}.jpg", image_bytes(size=(40, 30))))
                for relation in (Relation.GRIEVANCE, Relation.COMPLAINANT):  # so decided, not left to the engine
                    repeats.link(actor=alice, case=case, other=kept, relation=relation)
                repeats.merge(actor=harry, case=case, into=kept)
            elif i % 3 == 1:  # linked, in sight
                case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
                repeats.link(actor=alice, case=kept, other=case, relation=Relation.GRIEVANCE)
            else:  # linked, outside his sight: a minimal card and its audit row
                case, _ = services.case_intake(actor=bob, district=bob.district, data=intake_data())
                repeats.link(actor=alice, case=kept, other=case, relation=Relation.COMPLAINANT)

    add(3)  # one of each from the start: what is read once for all is read with two rows too
    few, full = grows(add, signed_in(harry), f"/repeats/cases/{kept.pk}/panel/")
    assert full == few


def test_the_people_page(signed_in, alice, harry):
    from cases.services import ComplainantData, RespondentData

    def add(n):
        for _ in range(n):
            i = add.count = getattr(add, "count", 0) + 1
            person = ComplainantData(first_name=f"ผู้ร้องที่{i}", last_name="ทองดี", phone=f"08100{i:05d}")
            party = RespondentData(kind="company", name=f"บจก. ผู้ถูกร้องที่{i}")
            for _ in range(2):
                data = intake_data(complainants=[person], respondents=[party])
                services.case_intake(actor=alice, district=alice.district, data=data)

    few, full = grows(add, signed_in(harry), "/repeats/people/")
    assert full == few


def test_the_review_of_suggested_pairs(signed_in, alice, harry):
    from repeats import services as repeats
    from repeats.models import Relation

    def add(n):
        for _ in range(n):
            a, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
            b, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
            repeats.suggest(case=a, other=b, relation=Relation.GRIEVANCE, score=0.9)

    few, full = grows(add, signed_in(harry), "/repeats/review/")
    assert full == few
