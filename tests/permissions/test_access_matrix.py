"""The access matrix: every page that shows a complaint, for every actor, with
cases inside and outside the actor's sight; one test case per (URL, actor, case),
so that one failure hides none of the others.

Two tables say what is checked. ``URLS`` holds every URL that takes an object
identifier (read from the URLconf: an object URL the table lacks fails the
suite); ``LISTS`` the pages that list complaints (the case list, its CSV,
search, every inbox tab, the dashboard, notifications, the audit log and its
CSV, the start page). ``ACTORS`` says who each actor is and which of the cases
A, B and C they see. Inside an actor's sight an object page answers, and shows
the case (its number on the page, or the file); a list shows the case where
``LISTS`` says the actor finds it there. Outside, an object page answers 404 (or
403), and no page names the case: neither its number nor its subject. A new
page is one line in ``URLS`` or ``LISTS``; a new actor one line in ``ACTORS``.

The world is made once for the module, in a transaction rolled back when the
module ends, and every request runs in a savepoint rolled back after it: a claim
or a revoked share in one cell changes nothing for the next. The counts are
printed at the end of the run (tests/permissions/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from auditing.exports import CASE_RECORD_CSV
from cases import services
from cases.files import store_attachment
from cases.models import Complaint, Team, TeamMembership
from cases.services import RespondentData
from citizens.models import NewsPost, ReopenRequest
from core.models import District, Subdistrict
from exports.models import Export
from exports.services import render
from permissions import services as sharing
from permissions.models import AccessRequest, CaseShare
from repeats import services as repeat_services
from repeats.display import access_token
from repeats.models import Relation
from tests.case_fixtures import intake_data
from tests.conftest import PASSWORD
from tests.documents.scans import stored_document
from tests.factories import UserFactory
from workflows import engine
from workflows.engine import next_actors
from workflows.models import CaseTask
from workflows.notify import notify

# Every test here uses the test database: a module none of whose tests asked for it
# would run its module fixture against the database DATABASE_URL names.
pytestmark = pytest.mark.django_db

# The cases: A in Mueang Ratchaburi (7001), assigned to a team on which sits the
# sub-district official it names as respondent, and overdue; B in Ban Pong (7005,
# the same province), just received; C in Bangkok's Phra Nakhon (1001, another
# province), naming a national auditor as respondent, escalated to the province
# and taken there by its officer. Each is shared with one officer of Mueang
# Kanchanaburi (7101) until next week, and with another until a minute ago (the
# beat task that ends shares has not run yet).
CASES = ("A", "B", "C")
COMMON_WORD = "บุกรุกทดสอบ"  # in every case's subject: a search for it finds all three

# actor: (UserFactory arguments, the cases the actor sees)
ACTORS = {
    "district_officer": (dict(roles=["district_officer"], district="7001"), "A"),
    "district_head": (dict(roles=["district_head"], district="7001"), "A"),
    "team_member": (dict(roles=["team_member"], district="7001"), "A"),
    "province_officer": (dict(roles=["province_officer"], province="70"), "AB"),
    "province_head": (dict(roles=["province_head"], province="70"), "AB"),
    "central_officer": (dict(roles=["central_officer"], nation=True), "ABC"),
    "auditor": (dict(roles=["auditor"], nation=True), "ABC"),
    "administrator": (dict(roles=["administrator"], nation=True, is_staff=True, is_superuser=True), "ABC"),
    # On A's team, and named in A as the official complained about.
    "respondent_official": (dict(roles=["team_member"], district="7001"), ""),
    "share_grantee": (dict(roles=["district_officer"], district="7101"), "ABC"),
    "share_expired": (dict(roles=["district_officer"], district="7101"), ""),
    # On another team of Mueang Ratchaburi.
    "other_team_member": (dict(roles=["team_member"], district="7001"), ""),
    "second_province_officer": (dict(roles=["province_officer"], province="10"), "C"),
    # Named in C as respondent.
    "respondent_auditor": (dict(roles=["auditor"], nation=True), "AB"),
}


def sees(actor: str) -> set[str]:
    return set(ACTORS[actor][1])


def case_pk(o) -> dict:
    return {"pk": o["case"].pk}


def task_pk(o) -> dict:
    return {"pk": o["task"].pk}


def attachment_pk(o) -> dict:
    return {"pk": o["case"].pk, "attachment_pk": o["attachment"].pk}


def access_request_pk(o) -> dict:
    return {"pk": o["access_request"].pk}


def document_pk(o) -> dict:
    return {"pk": o["document"].pk}


def link_step(o) -> dict:
    return {"pk": o["case"].pk, "link_pk": o["link"].pk, "step": "unlink"}


# Object URLs: name: (method, its arguments for a case's objects, what shows the case
# when the page answers 200: "number" on the page, a "file", or None for a form post).
URLS = {
    "cases:detail": ("get", case_pk, "number"),
    "cases:action": ("get", lambda o: {"pk": o["case"].pk, "action": "reject"}, "number"),
    "cases:print": ("get", case_pk, "number"),
    "cases:receipt": ("get", case_pk, "number"),
    "cases:upload": ("post", case_pk, None),
    "cases:attachment": ("get", attachment_pk, "file"),
    "cases:attachment_thumbnail": ("get", attachment_pk, "file"),
    "cases:share": ("get", case_pk, "number"),
    "cases:revoke_share": ("post", lambda o: {"pk": o["case"].pk, "share_pk": o["share"].pk}, None),
    "workflows:claim": ("post", task_pk, None),
    "workflows:release": ("post", task_pk, None),
    "workflows:reassign": ("get", task_pk, "number"),
    "audit:case": ("get", case_pk, "number"),
    # Asked for with a button ("export": the POST, the worker's part, then the download).
    "audit:case_csv": ("export", case_pk, "number"),
    "audit:case_pdf": ("export", case_pk, "file"),
    # A complainant's request to reopen the case (public/tracking): the case's number shows.
    "public:reopen_request": ("get", lambda o: {"pk": o["reopen_request"].pk}, "number"),
    # The progress letter to a complainant (public/notices): its form; posted, the PDF.
    "public:progress_letter": ("get", case_pk, "number"),
    # REST API v1 (api/): the JSON of a case carries its number; files are files. The POSTs
    # are the matrix's form post (an action with no expected_status, a report with no
    # note, a photo): refused as input or taken in sight, 404 outside, as the pages.
    "api:case": ("get", case_pk, "number"),
    "api:case_timeline": ("get", case_pk, "number"),
    "api:case_action": ("post", lambda o: {"pk": o["case"].pk, "name": "reject"}, None),
    "api:case_progress": ("post", case_pk, None),
    "api:case_attachments": ("post", case_pk, None),
    "api:case_attachment": ("get", attachment_pk, "file"),
    "api:task_claim": ("post", task_pk, None),
    "api:task_release": ("post", task_pk, None),
    # An officer's request for access to a case outside his sight (repeats/): its requester and
    # whoever sees the case read it (the case's number shows); only who may share the case answers.
    "repeats:access_request": ("get", access_request_pk, "number"),
    "repeats:grant_access": ("post", access_request_pk, None),
    "repeats:refuse_access": ("post", access_request_pk, None),
    "repeats:withdraw_access": ("post", access_request_pk, None),
    # Links and merges from a case's page (repeats/): the form posts; a step on one of its links
    # (its form shows the case's number); the merge's page (or, for whoever may not merge, the case).
    "repeats:case_panel": ("get", case_pk, None),
    "repeats:link": ("post", case_pk, None),
    "repeats:link_step": ("get", link_step, "number"),
    "repeats:merge": ("get", case_pk, "number"),
    # Scanned documents (documents/): the case page's panel and its upload; a document of the
    # case, its pages and files (seen exactly as the case), reading it again, filing it elsewhere.
    "documents:case_panel": ("get", case_pk, None),
    "documents:case_upload": ("post", case_pk, None),
    "documents:document": ("get", document_pk, "number"),
    "documents:page": ("get", lambda o: {"pk": o["document"].pk, "number": 1}, "number"),
    "documents:original": ("get", document_pk, "file"),
    "documents:searchable": ("get", document_pk, "file"),
    "documents:retry": ("post", document_pk, None),
    "documents:file_on_case": ("post", document_pk, None),
}

# An export is its owner's alone, whoever else sees its case: the world makes one of
# each case's record for the auditor (tests below: ``test_an_export_url``).
OWNER_URLS = {
    "exports:detail": (lambda o: {"pk": o["export"].pk}, "number"),
    "exports:download": (lambda o: {"pk": o["export"].pk}, "file"),
}
EXPORT_OWNER = "auditor"

# URLs that take an argument which is not a case's nor a case object's: nothing here
# to exercise per actor and case. Each says what it takes.
NOT_CASE_URLS = {
    "language": "a language code (the language links)",
    # Tracking (public/tracking) takes a case's tracking code, and is public by design: whoever
    # holds the code reads the case's public steps, never a name or a note
    # (tests/public/test_tracking.py: test_no_personal_data_and_no_internal_notes_on_the_page).
    "public:track_case": "a tracking code (public by design; its own no-personal-data test)",
    "public:track_rate": "a tracking code (the complainant's rating of the ended case)",
    "public:track_not_solved": "a tracking code (the complainant's request to reopen)",
    # Complaining online (public/online): the citizen's own receipt (a signed token of the
    # submission, a day long) and the confirmation link e-mailed to them (a secret token).
    "public:complain_done": "a signed token of the citizen's own online submission (its receipt page)",
    "public:complain_confirm": "the secret token e-mailed to the citizen to confirm an online complaint",
    "public:figures_province": "a province code (public totals, no case)",
    "public:figures_district": "a district code (public totals, no case)",
    "public:figures_map_province": "a province code (its districts' boundaries)",
    # News of the centers (public/news): published posts for everyone; the officers' pages
    # fetch the post among their center's (public.news.selectors.get_post_for_user), and
    # name its linked cases only as the user sees them (LISTS, "news post (officers)").
    "public:news_province": "a province code (its published news)",
    "public:news_province_feed": "a province code (its published news, Atom)",
    "public:news_district": "a district code (its published news)",
    "public:news_district_feed": "a district code (its published news, Atom)",
    "public:news_detail": "a news post's id (published only; no case on the page)",
    "public:news_photo": "a news post's and its photo's ids (published posts only)",
    "public:news_photo_thumbnail": "a news post's and its photo's ids (published posts only)",
    "public:news_manage_detail": "a news post's id (the officer's center's posts)",
    "public:news_manage_edit": "a news post's id (the officer's center's drafts)",
    "public:news_manage_delete": "a news post's id (the officer's center's drafts)",
    "public:news_manage_step": "a news post's id and a step (its center's head)",
    "public:news_manage_photo": "a news post's and its photo's ids (the officer's center's posts)",
    "public:news_manage_photo_thumbnail": "a news post's and its photo's ids (the officer's center's posts)",
    # Registrations of officers (accounts/): officers' personal data, no case; who reads and
    # acts on each is tested in tests/accounts/test_registration.py (test_registrations_stay_in_their_center).
    "accounts:registration_detail": "a registration's id (its center, its certifiers, the heads above)",
    "accounts:edit_registration": "a registration's id (its filler, while it is open)",
    "accounts:certify": "a registration's id (its certifiers)",
    "accounts:return_registration": "a registration's id (its certifiers)",
    "accounts:withdraw": "a registration's id (its filler)",
    "accounts:form_pdf": "a registration's id (the certified form's PDF)",
    "accounts:slip": "a registration's id (a new activation code for its officer)",
    "accounts:activate_link": "a one-time activation code (the officer's own, e-mailed or printed)",
    # The user manual (accounts/manual/): public by design, demo screenshots and no case data.
    "manual:role": "a manual's role code (how to use the pages)",
    "manual:pdf": "a manual's role code (its PDF)",
    # Open311 GeoReport v2 (open311/): every URL takes its format (json, xml). A request is read by
    # its tracking code, public by design as on the tracking page, never with a name or a note
    # (tests/open311/test_requests.py: _nothing_personal); an app lists only what it filed.
    "open311:discovery": "a format (the endpoints and where to ask for a key)",
    "open311:services": "a format (the categories, no case)",
    "open311:service": "a category's id and a format (its definition, no case)",
    "open311:requests": "a format (POST with an app's api_key; GET by tracking codes, or an app's own)",
    "open311:request": "a tracking code and a format (public by design; no personal data)",
    "open311:token": "a token and a format (none is issued: every request is answered at once)",
    # The profile page's button that revokes a device token (api/): its owner's own, a 404 for
    # anyone else (tests/api/test_devices_page.py: test_nobody_revokes_another_persons_token).
    "api:revoke_token": "a device token's id (its owner's own)",
    # Batches of scans (documents/) belong to a center's tray, seen by scope, not to a case; who
    # sees which is tested in tests/documents/test_views.py (test_outside_their_scope_people_get_nothing).
    "documents:batch": "a batch's id (its center's tray, by scope)",
    "documents:batch_status": "a batch's id (its progress, as its page)",
    # A case from a letter (documents/views_letter.py): a letter of the officer's own center's
    # tray, for who takes intake there; a 404 for another center's
    # (tests/documents/test_letter_views.py: test_another_centers_letter_is_not_found).
    "documents:letter_reading": "a tray letter's id (its center's intake officers)",
    "documents:letter_status": "a tray letter's id (its center's intake officers)",
    "documents:letter_retry": "a tray letter's id (its center's intake officers)",
    "documents:letter_intake": "a tray letter's id (its center's intake officers)",
}

AUDITORS = {"auditor": "ABC", "respondent_auditor": "AB"}

# List pages: name: (its URL for a case's objects, where each actor finds each case:
# {actor: cases}; "sees" for every case the actor sees; None: only that nothing
# outside the actor's sight is named[, "export" for a file asked for with a button]).
LISTS = {
    "case list": (lambda o: reverse("cases:list"), "sees"),
    "case list csv": (lambda o: reverse("cases:list_csv"), "sees", "export"),
    "search by subject": (lambda o: f"{reverse('cases:list')}?q={quote(COMMON_WORD)}", "sees"),
    "search by number": (lambda o: f"{reverse('cases:list')}?q={quote(o['case'].number)}", "sees"),
    "inbox mine": (lambda o: reverse("workflows:inbox"), {"second_province_officer": "C"}),
    "inbox queue": (lambda o: reverse("workflows:queue"), {"team_member": "A"}),
    "inbox done": (lambda o: reverse("workflows:done"), {"district_officer": "A", "district_head": "A"}),
    "dashboard": (lambda o: reverse("workflows:dashboard"), {"district_head": "A"}),
    "notifications": (
        lambda o: reverse("workflows:notifications"),
        {"team_member": "A", "second_province_officer": "C"},
    ),
    "audit log": (lambda o: reverse("audit:log"), AUDITORS),
    "audit log csv": (lambda o: reverse("audit:log_csv"), AUDITORS, "export"),
    "start page": (lambda o: reverse("home"), None),
    # The complainants' requests to reopen, on every case the officer sees (public/tracking).
    "reopen requests": (lambda o: reverse("public:reopen_requests"), "sees"),
    # The province center's news post that links all three cases: each reader sees the numbers
    # of the cases he sees, and the post's own center and central officers read it at all.
    # REST API v1 (api/): the case list, the task lists and the notifications as a phone reads them.
    "api case list": (lambda o: reverse("api:cases"), "sees"),
    "api tasks mine": (lambda o: reverse("api:tasks"), {"second_province_officer": "C"}),
    "api tasks queue": (lambda o: f"{reverse('api:tasks')}?tab=queue", {"team_member": "A"}),
    "api notifications": (
        lambda o: reverse("api:notifications"),
        {"team_member": "A", "second_province_officer": "C"},
    ),
    # Requests for access (repeats/): those waiting for the head who may share the case.
    "access requests": (lambda o: reverse("repeats:access_requests"), {"district_head": "A"}),
    # People over time (repeats/): the same complainant and respondent in every case, each
    # counted and listed where the reader's scope has two of them (the world's later cases).
    "repeats people": (
        lambda o: reverse("repeats:people"),
        {"district_head": "A", "province_officer": "AB", "province_head": "AB"},
    ),
    "repeats review": (lambda o: reverse("repeats:review"), None),
    # The center's tray of scanned letters not yet on a case (documents/): no case on it.
    "documents tray": (lambda o: reverse("documents:tray"), None),
    "news post (officers)": (
        lambda o: reverse("public:news_manage_detail", args=[o["news"].pk]),
        {"province_officer": "AB", "province_head": "AB", "central_officer": "ABC"},
    ),
}


# Pages that repeat the case number the user typed, whether or not they find the case.
ECHOES_THE_NUMBER = {"search by number"}


def shown_on(page: str, actor: str) -> set[str] | None:
    """The cases ``actor`` must find on list ``page`` (None: not defined for the page)."""
    where = LISTS[page][1]
    if where is None:
        return None
    return sees(actor) if where == "sees" else set(where.get(actor, ""))


OBJECT_CELLS = [(name, actor, label) for name in URLS for actor in ACTORS for label in CASES]
# On a list, a case in the actor's sight that the page need not show has nothing to check.
LIST_CELLS = [
    (page, actor, label)
    for page in LISTS
    for actor in ACTORS
    for label in CASES
    if label not in sees(actor) or label in (shown_on(page, actor) or ())
]


def cell_id(cell) -> str:
    return "-".join(part.replace(" ", "_") for part in cell)


# --- The world ----------------------------------------------------------------------------


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("ภาพ.jpg", buffer.getvalue(), content_type="image/jpeg")


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str
    location: str


class Matrix:
    """The world, and every request made in it (each made once, in a savepoint rolled back)."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.people: dict = {}
        self.cases: dict = {}
        self.clients: dict = {}
        self.answers: dict = {}

    def client(self, actor: str) -> Client:
        if actor not in self.clients:
            client = Client(raise_request_exception=False)
            response = client.post(reverse("login"), {"username": self.people[actor].national_id, "password": PASSWORD})
            assert response.status_code == 302, (actor, response.content.decode()[:500])
            self.clients[actor] = client
        return self.clients[actor]

    def answer(self, actor: str, method: str, url: str) -> Answer:
        key = (actor, method, url)
        if key not in self.answers:
            with self.blocker.unblock():
                client = self.client(actor)  # signed in for good, not in the savepoint
            with self.blocker.unblock(), transaction.atomic():
                if method == "get":
                    response = client.get(url)
                elif method == "export":
                    response = self.export(client, url)
                else:
                    response = client.post(url, {"reason": "x", "file": photo(), "next": "/"})
                body = b"".join(response.streaming_content) if response.streaming else response.content
                transaction.set_rollback(True)
            self.answers[key] = Answer(
                response.status_code, body, response.get("Content-Type", ""), response.get("Location", "")
            )
        return self.answers[key]

    @staticmethod
    def export(client, url):
        """Ask for an export, make it as the worker would (nothing commits here, so the
        outbox never relays), and download it; a refusal is the answer as it came."""
        response = client.post(url)
        made = re.fullmatch(r"/exports/(\d+)/", response.get("Location", ""))
        if response.status_code != 302 or not made:
            return response
        render(int(made.group(1)))
        return client.get(reverse("exports:download", args=[made.group(1)]))


def _load_reference_data() -> None:
    """Geography, roles and categories, as tests/conftest.py's ``geography`` loads them."""
    from cases.categories import load_categories
    from cases.models import Category
    from core.geography import load_geography
    from core.models import Role
    from core.roles import Role as RoleCode

    if Subdistrict.objects.count() < 7436:
        load_geography()
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)
    if not Category.objects.exists():
        load_categories()


def build_world(matrix: Matrix) -> None:
    people = matrix.people
    for actor, (who, _sees) in ACTORS.items():
        people[actor] = UserFactory(first_name=actor.replace("_", " "), **who)
    officers = {
        "7001": people["district_officer"],
        "7005": UserFactory(roles=["district_officer"], district="7005"),
        "1001": UserFactory(roles=["district_officer"], district="1001"),
    }
    heads = {
        "7001": people["district_head"],
        "7005": UserFactory(roles=["district_head"], district="7005"),
        "1001": UserFactory(roles=["district_head"], district="1001"),
    }
    team = Team.objects.create(subdistrict=Subdistrict.objects.get(code="700101"), name="ชปต. ตำบลหน้าเมือง")
    other_team = Team.objects.create(subdistrict=Subdistrict.objects.get(code="700102"), name="ชปต. ตำบลหน้าเมือง 2")
    for person, on in (
        (people["team_member"], team),
        (people["respondent_official"], team),
        (people["other_team_member"], other_team),
    ):
        TeamMembership.objects.create(team=on, user=person, kind=TeamMembership.Kind.KAMNAN)
    named = {"A": people["respondent_official"], "C": people["respondent_auditor"]}

    def make(district: str, label: str) -> dict:
        officer = officers[district]
        respondents = [RespondentData(kind="person", name="นายสมหมาย ใจร้าย")]
        if label in named:
            respondents.append(RespondentData(kind="official", name="เจ้าหน้าที่", national_id=named[label].national_id))
        data = intake_data(subject=f"{COMMON_WORD}เรื่อง{label}", respondents=respondents)
        case, _ = services.case_intake(actor=officer, district=officer.district, data=data)
        attachment = store_attachment(case=case, uploaded=photo(), actor=officer)
        document = stored_document(complaint=case, name="หนังสือ.pdf")
        shares = {
            grantee: sharing.share_case(
                actor=heads[district],
                case=case,
                user=people[grantee],
                reason="ประสาน",
                expires_on=timezone.localdate() + dt.timedelta(days=7),
            )  # fmt: skip
            for grantee in ("share_grantee", "share_expired")
        }
        # Ended a minute ago; the beat task that removes the permission has not run.
        CaseShare.objects.filter(pk=shares["share_expired"].pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
        return {"case": case, "attachment": attachment, "document": document, "share": shares["share_grantee"]}

    cases = {"A": make("7001", "A"), "B": make("7005", "B"), "C": make("1001", "C")}
    for objects in cases.values():
        objects["export"] = render(
            Export.objects.create(
                owner=people[EXPORT_OWNER], kind=CASE_RECORD_CSV, title=f"บันทึกการตรวจสอบเรื่อง {objects['case'].number}",
                filename="audit.csv", content_type="text/csv", params={"case": objects["case"].pk},
                case_id=objects["case"].pk, case_number=objects["case"].number,
            ).pk
        )  # fmt: skip
    a, c = cases["A"]["case"], cases["C"]["case"]
    services.case_propose_assignment(actor=people["district_officer"], case=a, team=team)
    services.case_approve_assignment(actor=people["district_head"], case=a)
    Complaint.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    CaseTask.objects.filter(complaint=a, status="NEW").update(due_at=timezone.now() - dt.timedelta(hours=1))
    services.case_escalate(actor=heads["1001"], case=c, reason="เกินอำนาจอำเภอ")
    engine.claim(engine.open_tasks(c).get(), people["second_province_officer"])
    for objects in cases.values():
        case = Complaint.objects.get(pk=objects["case"].pk)
        objects["case"] = case
        objects["task"] = engine.open_tasks(case).get()
        # The notice "your move" goes to whoever the case's next step is for.
        notify(next_actors(case), complaint=case, kind="matrix", key=f"matrix:{case.pk}")
    assert District.objects.get(code="1001").province_id == "10"
    # Each case's complainant asks to reopen it (written straight: the cases are not closed).
    for objects in cases.values():
        objects["reopen_request"] = ReopenRequest.objects.create(complaint=objects["case"], reason="ยังไม่ได้รับการแก้ไข")
    # An officer of Mueang Kanchanaburi, none of the actors, asks for access to each case.
    requester = UserFactory(first_name="ผู้ขอเข้าถึง", roles=["district_officer"], district="7101")
    for objects in cases.values():
        objects["access_request"] = AccessRequest.objects.create(
            complaint=objects["case"], requested_by=requester, reason="อาจเป็นเรื่องซ้ำกับเรื่องของอำเภอเมืองกาญจนบุรี"
        )
    # Each case's complainant files again at its center, and the officer links the two (repeats/).
    for label, district in (("A", "7001"), ("B", "7005"), ("C", "1001")):
        officer = officers[district]
        again, _ = services.case_intake(
            actor=officer, district=officer.district, data=intake_data(subject=f"ยื่นซ้ำเรื่อง{label}")
        )
        cases[label]["link"] = repeat_services.link(
            actor=officer, case=again, other=cases[label]["case"], relation=Relation.COMPLAINANT
        )
    # Written straight, not through public.news.services: its officer could not link C.
    news = NewsPost.objects.create(
        province_id="70", title="ข่าวกิจกรรมทดสอบ", leader="หัวหน้า", participants="ชาวบ้าน",
        happened_on=timezone.localdate(), place="ศาลากลาง", body="กิจกรรม", created_by=people["province_officer"],
    )  # fmt: skip
    news.cases.set([objects["case"] for objects in cases.values()])
    for objects in cases.values():
        objects["news"] = news
    matrix.cases = cases


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, made once for the module inside a transaction that is rolled back at its end."""
    from django.conf import settings

    media_root, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("matrix-media")
    matrix = Matrix(django_db_blocker)
    with django_db_blocker.unblock():
        _load_reference_data()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # Side effects queued on commit never run (nothing commits); the world
            # makes the notices it needs itself.
            build_world(matrix)
            # Signed in here, in the module's transaction: a session made in a
            # test's own savepoint would end with that test.
            for actor in ACTORS:
                matrix.client(actor)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            settings.MEDIA_ROOT = media_root
            raise
    yield matrix
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    settings.MEDIA_ROOT = media_root


# --- The cells ------------------------------------------------------------------------------


def names_the_case(body: bytes, case) -> bool:
    return case.number.encode() in body or case.subject.encode() in body


def lists_the_case(body: bytes, case) -> bool:
    """Whether a search result names the case: the number typed is echoed in the search box."""
    return f'href="{case.get_absolute_url()}"'.encode() in body or case.subject.encode() in body


@pytest.mark.parametrize(("name", "actor", "label"), OBJECT_CELLS, ids=[cell_id(c) for c in OBJECT_CELLS])
def test_an_object_url(matrix, name, actor, label):
    method, arguments, shows = URLS[name]
    objects = matrix.cases[label]
    answer = matrix.answer(actor, method, reverse(name, kwargs=arguments(objects)))
    case = objects["case"]
    if label in sees(actor):
        assert answer.status not in (404, 500), f"{actor} gets {answer.status} for {name} of case {label} in sight"
        if method == "export" and answer.status != 403:  # a refusal, or the file itself
            assert answer.status == 200, f"{actor} gets {answer.status} for the file of {name} of case {label}"
        if answer.status == 200 and shows == "number":
            assert case.number.encode() in answer.body, f"{name} answers {actor} without case {label}'s number"
        elif answer.status == 200 and shows == "file":
            assert answer.body and not answer.content_type.startswith("text/html"), (name, answer.content_type)
    else:
        assert answer.status in (403, 404), f"{actor} gets {answer.status} for {name} of case {label} out of sight"
        assert not names_the_case(answer.body, case), f"{name} names case {label} to {actor}"


@pytest.mark.parametrize(("page", "actor", "label"), LIST_CELLS, ids=[cell_id(c) for c in LIST_CELLS])
def test_a_list_page(matrix, page, actor, label):
    objects = matrix.cases[label]
    method = LISTS[page][2] if len(LISTS[page]) > 2 else "get"
    answer = matrix.answer(actor, method, LISTS[page][0](objects))
    case = objects["case"]
    assert answer.status != 500, f"{page} fails for {actor}"
    named = lists_the_case if page in ECHOES_THE_NUMBER else names_the_case
    if label in sees(actor):
        assert answer.status == 200, f"{page} answers {actor} {answer.status}"
        assert case.number.encode() in answer.body and named(answer.body, case), (
            f"{page} does not show {actor} case {label}"
        )
    else:
        assert not named(answer.body, case), f"{page} names case {label} to {actor}"


OWNER_CELLS = [(name, actor, label) for name in OWNER_URLS for actor in ACTORS for label in CASES]


@pytest.mark.parametrize(("name", "actor", "label"), OWNER_CELLS, ids=[cell_id(c) for c in OWNER_CELLS])
def test_an_export_url(matrix, name, actor, label):
    arguments, shows = OWNER_URLS[name]
    objects = matrix.cases[label]
    answer = matrix.answer(actor, "get", reverse(name, kwargs=arguments(objects)))
    case = objects["case"]
    if actor == EXPORT_OWNER:
        assert answer.status == 200, f"the owner gets {answer.status} for {name} of case {label}"
        if shows == "number":
            assert case.number.encode() in answer.body
        else:
            assert case.number.encode() in answer.body and answer.content_type.startswith("text/csv")
    else:
        assert answer.status == 404, f"{actor} gets {answer.status} for {name}, another officer's export"
        assert not names_the_case(answer.body, case), f"{name} names case {label} to {actor}"


def object_patterns(resolver=None, namespace=""):
    """Yield (name, route) for every URL pattern that takes an argument."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from object_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.pattern.converters and pattern.name:
            yield f"{namespace}{pattern.name}", str(pattern.pattern)


def test_the_matrix_knows_every_object_url():
    app_patterns = {name for name, _route in object_patterns() if not name.startswith("admin:")}
    unknown = sorted(app_patterns - set(URLS) - set(OWNER_URLS) - set(NOT_CASE_URLS))
    assert not unknown, f"object URLs the access matrix cannot exercise (add them to URLS): {unknown}"
    assert not sorted((set(URLS) | set(OWNER_URLS)) - app_patterns), "URLS names a URL that no longer exists"


def test_requests_from_outside_changed_nothing(matrix):
    """Every out-of-sight POST of the matrix, made for real (not rolled back), refused."""
    outside = matrix.cases["C"]
    for actor in ACTORS:
        if "C" in sees(actor):
            continue
        for name, (method, arguments, _shows) in URLS.items():
            if method in ("post", "export"):
                with matrix.blocker.unblock():
                    response = matrix.client(actor).post(
                        reverse(name, kwargs=arguments(outside)), {"reason": "x", "file": photo()}
                    )
                assert response.status_code in (403, 404), (actor, name, response.status_code)
    with matrix.blocker.unblock():
        share = CaseShare.objects.get(pk=outside["share"].pk)
        task = CaseTask.objects.get(pk=outside["task"].pk)
        assert share.revoked_at is None
        assert task.owner_id == matrix.people["second_province_officer"].pk
        assert Complaint.objects.get(pk=outside["case"].pk).attachments.count() == 1
        assert AccessRequest.objects.get(pk=outside["access_request"].pk).state == AccessRequest.State.PENDING


def test_admin_object_urls_send_everyone_but_staff_to_the_admin_login(matrix):
    patterns = dict(object_patterns())
    models = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    requests = 0
    for actor, person in matrix.people.items():
        if person.is_staff:
            continue
        for name in patterns:
            match = re.match(r"admin:(\w+?_\w+?)_(change|delete|history|reset_password)$", name)
            if not match or match.group(1) not in models:
                continue
            with matrix.blocker.unblock():
                instance = models[match.group(1)].objects.order_by("pk").first()
            if instance is None:
                continue
            answer = matrix.answer(actor, "get", reverse(name, args=[instance.pk]))
            requests += 1
            assert answer.status == 302 and "/admin/login/" in answer.location, (actor, name, answer.status)
    assert requests


def test_the_counts(matrix, capsys):
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(URLS)} object URLs x {len(ACTORS)} actors x {len(CASES)} cases = "
            f"{len(OBJECT_CELLS)} object cases; {len(LISTS)} list pages, {len(LIST_CELLS)} list cases; "
            f"{len(matrix.answers)} requests so far"
        )


# --- The repeat check at intake (repeats/): a page of candidates, not of one case -------------------

# Who may check (cases' intake rule: a district officer in his district), and which of the
# cases each sees as a whole card; the others he is shown as minimal cards.
CHECKERS = {"district_officer": "A", "share_grantee": "ABC", "share_expired": ""}


def test_the_repeat_check_shows_cases_outside_sight_as_minimal_cards(matrix, monkeypatch):
    from audit.models import AuditEvent, Kind
    from repeats import matching
    from tests.cases.test_intake import form_data

    def find_candidates(draft, *, exclude_ids=(), limit=20):
        return [
            matching.Candidate(complaint_id=matrix.cases[label]["case"].pk, relation="grievance", score=0.9,
                               reasons=[matching.Reason("similar_text", "ข้อความคล้ายกัน")])
            for label in CASES
        ]  # fmt: skip

    monkeypatch.setattr(matching, "find_candidates", find_candidates)
    for actor in ACTORS:
        with matrix.blocker.unblock(), transaction.atomic():
            response = matrix.client(actor).post(reverse("repeats:check"), form_data())
            body = response.content
            shown = {
                row.complaint_id
                for row in AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=matrix.people[actor].pk)
            }
            transaction.set_rollback(True)
        if actor not in CHECKERS:
            assert response.status_code == 403, (actor, response.status_code)
            assert not any(names_the_case(body, matrix.cases[label]["case"]) for label in CASES), actor
            continue
        assert response.status_code == 200, (actor, response.status_code)
        for label in CASES:
            case = matrix.cases[label]["case"]
            assert case.number.encode() in body, (actor, label)  # every candidate has its card
            whole = label in CHECKERS[actor]
            assert (case.subject.encode() in body) == whole, f"{actor} reads case {label}'s subject: {not whole}"
            assert (f'href="{case.get_absolute_url()}"'.encode() in body) == whole, (actor, label)
            assert (case.pk in shown) == (not whole), f"{actor}: case {label} shown outside sight and not audited"


# --- Asking for access from a minimal card (repeats:ask_access): the card's token names the case ------


def test_asking_for_access_names_no_case_and_takes_only_ones_own_card(matrix):
    """The POST carries a signed token, not an id in the URL: every actor posts, for every case,
    a token made for him and one made for someone else. Only an officer who may ask (does not
    see the case, is not named in it) gets a request made, and only with his own token; no answer
    names a case's subject, and nothing is left behind by a refused one."""
    someone_else = matrix.people["district_officer"]
    for actor in ACTORS:
        user = matrix.people[actor]
        for label in CASES:
            case = matrix.cases[label]["case"]
            for token_owner in (user, someone_else):
                token = access_token(token_owner, case.pk)
                with matrix.blocker.unblock(), transaction.atomic():
                    before = AccessRequest.objects.filter(complaint=case, requested_by=user).count()
                    response = matrix.client(actor).post(
                        reverse("repeats:ask_access"), {"token": token, "reason": "ตรวจสอบเรื่องซ้ำ"},
                        headers={"X-Requested-With": "XMLHttpRequest"},
                    )  # fmt: skip
                    made = AccessRequest.objects.filter(complaint=case, requested_by=user).count() - before
                    may_ask = sharing.may_request_access(user, case)
                    transaction.set_rollback(True)
                own = token_owner.pk == user.pk
                assert case.subject.encode() not in response.content, (actor, label)
                assert made == (1 if own and may_ask else 0), (actor, label, own, response.status_code)
                if not made:
                    assert response.status_code in (400, 403, 409), (actor, label, own, response.status_code)
