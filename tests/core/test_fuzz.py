"""Hostile GET input on every page: no answer is a 500.

The pages are read from the URLconf, their path arguments filled with real
objects, and each is requested as the people who use it. The GET parameters
tried on a page are the ones any page reads (the list filters, the cursors, the
"as of" form) and the ones the page itself offers in its links and GET forms
(the admin's filters, sort and search). A page the test cannot fill fails it,
so a new page is fuzzed without anyone remembering to add it.

Two passes: every page with every hostile value in all of its parameters at
once, then hypothesis (derandomised, a bounded number of examples) mixing
parameters, repeated values and generated text.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from auditing.forms import AsOfForm, LogFilterForm
from cases import services
from cases.actions import ACTIONS
from cases.files import store_attachment
from cases.forms import CaseFilterForm
from cases.models import Status
from citizens.models import NewsPost, ReopenRequest
from permissions import services as sharing
from tests.case_fixtures import intake_data
from tests.factories import UserFactory
from workflows.engine import open_tasks

pytestmark = pytest.mark.django_db


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Every page gets each of these in all of its parameters at once.
HOSTILE = [
    _b64(b"[" * 50_000 + b"]" * 50_000),  # a keyset cursor of nested JSON
    _b64(json.dumps(["9999-12-31T23:59:59+14:00", 2**63 - 1]).encode()),
    _b64(json.dumps([{"a": 1}, True]).encode()),
    "99999999999999999999999999",
    "-1",
    "a\x00b",
    "ก" * 10_000,
    "9999-12-31",
    "0001-01-01",
    "31/12/9999",
    "๓๑/๑๒/๙๙๙๙",
    "25:61",
    "%_\\' OR 1=1 --<script>",
]
# Parameters that choose a page of a list; the sweep also leaves them out.
PAGING_PARAMS = frozenset({"page", "p", "after", "before"})
# And hypothesis draws from these too.
MORE_HOSTILE = [
    "\x00",
    "1e309",
    "NaN",
    "ทดสอบ ๒๕๖๙",
    "00/00/0000",
    "29/02/2567",
    "31/02/2569",
    "24:00",
    "../../etc/passwd",
    "\u202e🙂\r\n",
]

# Parameters some page reads, whichever page this is: the cursors, the list
# filters, the audit log's filters, the "as of" form and a few conventions.
COMMON_PARAMS = frozenset(
    {"after", "before", "q", "as_of", "page", "p", "o", "tab", "next", "district"}
    | set(CaseFilterForm.base_fields) | set(LogFilterForm.base_fields) | set(AsOfForm.base_fields)
)  # fmt: skip
# Open311's parameters (open311/): its JSON and XML offer no links to learn them from.
OPEN311_PARAMS = frozenset(
    {"service_request_id", "service_code", "start_date", "end_date", "status", "api_key", "locale", "jurisdiction_id"}
)

# The REST API's parameters (api/): its JSON offers no links to learn them from.
API_PARAMS = frozenset({"mine", "status", "cursor", "tab", "thumbnail", "province", "district", "format"})


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("ภาพ.jpg", buffer.getvalue(), content_type="image/jpeg")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


# --- The pages ---------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    url: str
    people: list[str]
    params: set[str]  # shared by the pages of one URL name
    kind: str = ""  # the content type of its plain answer
    allowed: bool = True  # False if GET is not allowed (405)


def patterns(resolver=None, namespace=""):
    """Yield (name, URLPattern) for every named pattern of the URLconf."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _arguments(pattern: URLPattern) -> tuple[set[str], bool]:
    """The keyword arguments of a pattern, and whether it also takes positional ones."""
    regex = pattern.pattern.regex
    names = set(getattr(pattern.pattern, "converters", {})) | set(regex.groupindex)
    return names, regex.groups > len(regex.groupindex)


def _people(name: str) -> list[str]:
    """Who opens the page: the roles whose work it is."""
    if name.startswith("admin:"):
        return ["ada"]
    if name.startswith("audit:"):
        return ["audrey", "pete"]
    if name in ("login", "logout", "set_language", "language"):
        return ["anonymous", "alice"]
    if name.startswith("public:"):
        return ["anonymous", "alice", "harry"]
    if name.startswith("open311:"):
        return ["anonymous"]
    if name.startswith("workflows:"):
        return ["alice", "harry", "tom", "pete"]
    if name.startswith(("cases:", "api:")):
        return ["alice", "harry", "tom", "paula", "pete", "carol"]
    return ["alice", "harry"]


def site_pages(objects) -> tuple[list[Page], list[str]]:
    """Every page of the URLconf with its path arguments filled; and the names that could not be."""
    admin_models = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    big = "999999999999999999"  # the longest key a URL takes (core.converters)
    pages, unfilled = [], []
    for name, pattern in patterns():
        kwargs_names, positional = _arguments(pattern)
        kwargs_names -= set(pattern.default_args)
        options: list[dict] = []
        model = admin_models.get(m.group(1)) if (m := re.match(r"admin:(\w+?_\w+?)_\w+$", name)) else None
        if positional and name.endswith("_simple_history") and model is not None:
            # simple_history's page of one past version: (object id, version id).
            if not model.history.exists() and (instance := model.objects.order_by("pk").first()):
                instance.save()  # rows loaded in bulk have no history yet
            version = model.history.order_by("history_id").first()
            if version is None:
                unfilled.append(name)
                continue
            params = set(COMMON_PARAMS)
            for args in ([version.instance.pk, version.history_id], [version.instance.pk, big]):
                pages.append(Page(name, reverse(name, args=args), _people(name), params))
            continue
        if positional:
            unfilled.append(name)
            continue
        if name == "admin:autocomplete":
            # The select of each autocomplete field: the page reads its term only with a real one.
            params = set(COMMON_PARAMS) | {"term", "page"}
            for model, model_admin in admin.site._registry.items():
                for field_name in model_admin.autocomplete_fields:
                    base = [("app_label", model._meta.app_label), ("model_name", model._meta.model_name),
                            ("field_name", field_name)]  # fmt: skip
                    pages.append(Page(name, f"{reverse(name)}?{urlencode(base)}", _people(name), params))
            continue
        if not kwargs_names:
            options = [{}]
        elif name == "cases:action":
            options = [{"pk": objects["case"].pk, "action": action} for action in ACTIONS]
            options.append({"pk": objects["forwarded"].pk, "action": "agency_replied"})
        elif name == "api:case_action":
            # REST API v1 (api/): each action of the registry by name, and one of no case.
            options = [{"pk": objects["case"].pk, "name": action} for action in ACTIONS]
            options.append({"pk": big, "name": "accept"})
        elif name in ("cases:attachment", "cases:attachment_thumbnail", "api:case_attachment"):
            options = [
                {"pk": objects["case"].pk, "attachment_pk": objects["photo"].pk},
                {"pk": objects["case"].pk, "attachment_pk": objects["pdf"].pk},
                {"pk": objects["case"].pk, "attachment_pk": big},
            ]
        elif name == "cases:revoke_share":
            options = [{"pk": objects["case"].pk, "share_pk": objects["share"].pk}]
        elif name == "language":
            options = [{"code": "en"}, {"code": "th"}, {"code": "xx"}]
        elif kwargs_names == {"code"} and name.endswith(("_province", "_province_feed", "map_province")):
            options = [{"code": "70"}, {"code": "99"}]
        elif kwargs_names == {"code"} and name.endswith(("_district", "_district_feed")):
            options = [{"code": "7001"}, {"code": "9999"}]
        elif name.startswith("open311:"):
            # Open311 (open311/): each resource in both formats, with a category, a tracking code
            # and a token that exist and ones that do not.
            known = {
                "service_code": [str(objects["case"].category_id), big],
                "service_request_id": [objects["case"].tracking_code, "not-a-code"],
                "token": ["not-a-token"],
            }
            given = [{argument: value} for argument in kwargs_names - {"format"} for value in known[argument]]
            options = [{"format": fmt, **kwargs} for fmt in ("json", "xml") for kwargs in given or [{}]]
        elif kwargs_names == {"token"}:
            options = [{"token": "not-a-token"}, {"token": big}]
        elif name.startswith("public:news") and kwargs_names == {"pk"}:
            options = [{"pk": objects["news"].pk}, {"pk": big}]
        elif name.startswith("public:news") and kwargs_names == {"pk", "photo_pk"}:
            options = [{"pk": objects["news"].pk, "photo_pk": big}, {"pk": big, "photo_pk": big}]
        elif name.startswith("public:news") and kwargs_names == {"pk", "step"}:
            options = [{"pk": objects["news"].pk, "step": "publish"}, {"pk": big, "step": "x"}]
        elif name == "repeats:link_step":
            # A step on a repeat link of a case (repeats/): none here, and one of no case.
            options = [
                {"pk": objects["case"].pk, "link_pk": big, "step": "unlink"},
                {"pk": big, "link_pk": big, "step": "x"},
            ]
        elif name == "documents:page":
            # A page of a scanned document (documents/): none here, and a page number beyond any.
            options = [{"pk": objects["case"].pk, "number": 1}, {"pk": big, "number": 32767}]
        elif name == "public:reopen_request":
            options = [{"pk": objects["reopen_request"].pk}, {"pk": big}]
        elif kwargs_names == {"code"} and name.startswith("public:track"):
            # A tracking code (public/tracking): the case's, and one that is no code at all.
            options = [{"code": objects["case"].tracking_code}, {"code": "not-a-code"}]
        elif name == "accounts:activate_link":
            options = [{"code": "AAAA-BBBB-CCCC-DDDD"}, {"code": big}]
        elif name.startswith("manual:") and kwargs_names == {"role"}:
            options = [{"role": "district_officer"}, {"role": "nobody"}]
        elif kwargs_names == {"pk"} and name.startswith("workflows:"):
            options = [{"pk": objects["task"].pk}, {"pk": big}]
        elif kwargs_names == {"pk"}:
            options = [{"pk": objects["case"].pk}, {"pk": objects["forwarded"].pk}, {"pk": big}]
        elif kwargs_names == {"app_label"}:
            options = [{"app_label": label} for label in sorted({m._meta.app_label for m in admin_models.values()})]
        elif kwargs_names == {"content_type_id", "object_id"}:
            kind = ContentType.objects.get_for_model(objects["case"])
            options = [
                {"content_type_id": kind.pk, "object_id": objects["case"].pk},
                {"content_type_id": big, "object_id": "x"},
            ]
        elif kwargs_names == {"object_id"} and model is not None:
            instance = model.objects.order_by("pk").first()
            options = [{"object_id": "\x00"}, {"object_id": big}]
            if instance is not None:
                options.insert(0, {"object_id": instance.pk})
        else:
            unfilled.append(name)
            continue
        params = (
            set(COMMON_PARAMS)
            | (OPEN311_PARAMS if name.startswith("open311:") else set())
            | (API_PARAMS if name.startswith("api:") else set())
        )
        for kwargs in options:
            pages.append(Page(name, reverse(name, kwargs=kwargs), _people(name), params))
    return pages, unfilled


class _GetParams(HTMLParser):
    """The parameter names a page offers: its own links' queries and its GET forms' fields."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._get_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and (href := attributes.get("href")) and "?" in href:
            self.names |= {key for key, _value in parse_qsl(urlsplit(href).query, keep_blank_values=True)}
        elif tag == "form":
            self._get_form = (attributes.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._get_form and attributes.get("name"):
            self.names.add(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._get_form = False


def _body(response) -> bytes:
    # Reading a streamed answer (CSV, PDF, files) runs the code that writes it.
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def site(alice, harry, tom, team, paula, pete, carol, audrey, ada, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data())
    services.case_propose_assignment(actor=alice, case=case, team=team)
    case.refresh_from_db()
    pdf = store_attachment(case=case, uploaded=SimpleUploadedFile("หนังสือ.pdf", MINIMAL_PDF), actor=alice)
    image = store_attachment(case=case, uploaded=photo(), actor=alice)
    bystander = UserFactory(first_name="ผู้รับแชร์", roles=["district_officer"], district="7005")
    share = sharing.share_case(
        actor=harry, case=case, user=bystander, reason="ประสาน", expires_on=timezone.localdate() + dt.timedelta(days=3)
    )
    forwarded, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(subject="ส่งต่อ"))
    services.case_forward(
        actor=alice, case=forwarded, agency="สำนักงานที่ดินจังหวัดราชบุรี", letter_number="รบ 0018/1",
        letter_date=timezone.localdate(),
    )  # fmt: skip
    forwarded.refresh_from_db()
    assert forwarded.status == Status.FORWARDED
    objects = {"case": case, "forwarded": forwarded, "pdf": pdf, "photo": image, "share": share}
    objects["task"] = open_tasks(case).get()
    objects["reopen_request"] = ReopenRequest.objects.create(complaint=case, reason="ยังไม่ได้รับการแก้ไข")
    objects["news"] = NewsPost.objects.create(
        province_id="70", district_id="7001", title="ลงพื้นที่ไกล่เกลี่ย", leader="นายอำเภอ", participants="ชปต.",
        happened_on=timezone.localdate(), place="ศาลาประชาคม", body="ไกล่เกลี่ยข้อพิพาท", created_by=alice,
    )  # fmt: skip

    people = {"alice": alice, "harry": harry, "tom": tom, "paula": paula, "pete": pete, "carol": carol}
    people |= {"audrey": audrey, "ada": ada}
    clients = {"anonymous": Client()}
    for label, person in people.items():
        clients[label] = Client()
        clients[label].force_login(person, backend="django.contrib.auth.backends.ModelBackend")

    pages, unfilled = site_pages(objects)
    assert not unfilled, f"pages the fuzz test cannot fill (teach site_pages how): {unfilled}"
    return pages, clients


def _get(clients, page: Page, person: str, query: list[tuple[str, str]]) -> tuple[str | None, object]:
    """GET the page; a description of the failure if it answered 500 (or raised), and the response."""
    joiner = "&" if "?" in page.url else "?"
    url = f"{page.url}{joiner}{urlencode(query)}" if query else page.url
    try:
        response = clients[person].get(url)
        _body(response)
    except Exception as error:  # noqa: BLE001 - the test client re-raises what made the 500
        return f"{person} GET {url[:300]}: {error!r}"[:600], None
    if response.status_code >= 500:
        return f"{person} GET {url[:300]}: {response.status_code}", response
    return None, response


def _discover(clients, pages: list[Page]) -> list[str]:
    """Open each page once as its first user: no 500, and learn the parameters it offers."""
    failures, seen = [], {}
    for page in pages:
        failure, response = _get(clients, page, page.people[0], [])
        if failure:
            failures.append(failure)
            continue
        page.allowed = response.status_code != 405
        page.kind = response.get("Content-Type", "").split(";")[0]
        if page.kind == "text/html" and page.name not in seen:
            seen[page.name] = True
            parser = _GetParams()
            parser.feed(response.content.decode())
            page.params |= parser.names
    return failures


def _swept(pages: list[Page]) -> list[Page]:
    """The pages the sweep takes: one of each URL name that answers GET, the admin's object pages aside
    (their parameters are the changelist's, which the sweep takes; hypothesis takes them all)."""
    chosen, names = [], set()
    for page in pages:
        object_page = page.name.startswith("admin:") and not page.name.endswith(
            ("_changelist", ":index", ":app_list", ":autocomplete")
        )
        if page.allowed and page.name not in names and not object_page:
            names.add(page.name)
            chosen.append(page)
    return chosen


def _nested_cursor(value) -> str:
    return _b64(json.dumps(value).encode())


VALUES = st.one_of(
    st.sampled_from(HOSTILE + MORE_HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds("{}/{}/{}".format, st.integers(-1, 40), st.integers(-1, 14), st.integers(0, 99_999)),
    st.builds("{}-{:02d}-{:02d}".format, st.integers(0, 99_999), st.integers(0, 14), st.integers(0, 40)),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10), lambda inner: st.lists(inner, max_size=3)
    ).map(_nested_cursor),
)


def test_no_get_parameter_of_any_page_makes_a_500(site, capsys):
    pages, clients = site
    failures = _discover(clients, pages)

    # 1. Every page, every hostile value in all of its parameters at once. A PDF
    # or a file takes a long time to make and reads no parameter: a few values.
    # A bad page number or cursor can stop a view before it reads the rest (a
    # 404 for ?page=x), so the commonest culprits go again with those left out.
    swept = _swept(pages)
    requests = 0
    for page in swept:
        values = HOSTILE if page.kind in ("text/html", "text/csv", "application/json") else HOSTILE[:3]
        queries = [[(name, value) for name in sorted(page.params)] for value in values]
        queries += [
            [(name, value) for name in sorted(page.params - PAGING_PARAMS)]
            for value in ("a\x00b", HOSTILE[0], HOSTILE[3])
        ]
        for query in queries:
            failure, _response = _get(clients, page, page.people[0], query)
            requests += 1
            if failure:
                failures.append(failure)

    # 2. Hypothesis: some parameters of any page (its object pages and other users
    # included), repeated or not, with generated values.
    reachable = [page for page in pages if page.allowed]
    drawn = []

    @settings(
        max_examples=100,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def mix(data):
        page = data.draw(st.sampled_from(reachable), label="page")
        person = data.draw(st.sampled_from(page.people), label="person")
        query = data.draw(st.lists(st.tuples(st.sampled_from(sorted(page.params)), VALUES), min_size=1, max_size=4))
        failure, _response = _get(clients, page, person, query)
        drawn.append(page.url)
        assert failure is None, failure

    try:
        mix()
    except AssertionError as error:
        failures.append(f"hypothesis: {error}")

    with capsys.disabled():
        print(
            f"\nGET fuzz: {len(pages)} pages ({len(reachable)} answer GET); sweep {len(swept)} pages, {requests} "
            f"requests; hypothesis {len(drawn)} requests over {len(set(drawn))} pages; {len(failures)} answers of 500"
        )
    assert not failures, "\n".join(failures)
