"""The whole OpenAPI document fuzzed with schemathesis: every operation, a bounded number
of generated requests each (derandomised: the same requests on every run), sent through
Django's WSGI application as Tom's phone (a team member's device token). No answer may
be a 500, and every answer must be one the document declares (status, content type,
body, headers).

The ids in the paths are mostly those of Tom's own cases, attachments and tasks (so the
requests reach the code behind the 404), the rest as generated. The answers per operation
are printed at the end.
"""

from __future__ import annotations

import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator

from api import services
from cases import services as case_services
from cases.files import store_attachment
from cases.models import Complainant, Status
from tests.api.conftest import photo
from workflows import engine
from workflows.notify import notify

pytestmark = pytest.mark.django_db

EXAMPLES = 15
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# The answers of the run, per operation: {"GET /api/v1/cases/": {200: 14, 400: 1}}.
ANSWERS: dict[str, Counter] = {}


@pytest.fixture(scope="module", autouse=True)
def report_the_answers(request):
    started = time.monotonic()
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not ANSWERS:
        return
    total = sum(sum(counts.values()) for counts in ANSWERS.values())
    reporter.write_line(
        f"\nschema fuzz: {len(ANSWERS)} operations, {total} requests in {time.monotonic() - started:.1f} s"
    )
    for label, counts in sorted(ANSWERS.items()):
        reporter.write_line(f"  {label}: " + ", ".join(f"{code} x{n}" for code, n in sorted(counts.items())))


class Fuzzed:
    """What the run made: Tom and his key, the ids to aim at."""

    def __init__(self, key: str, ids: dict[str, list[int]], tom):
        self.key, self.ids, self.tom = key, ids, tom


@pytest.fixture
def fuzzed(tom, team, harry, case_in, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cases = [case_in(status) for status in (Status.ASSIGNED, Status.INVESTIGATING, Status.INVESTIGATING)]
    cases.append(case_in(Status.RESOLUTION_PENDING))
    Complainant.objects.filter(complaint=cases[1]).update(is_confidential=True)
    case_services.case_accept(actor=tom, case=cases[0], note="รับเรื่อง")
    attachments = [
        store_attachment(case=cases[1], uploaded=photo(), actor=alice),
        store_attachment(
            case=cases[1],
            uploaded=SimpleUploadedFile("หนังสือ.pdf", MINIMAL_PDF, content_type="application/pdf"),
            actor=alice,
        ),  # fmt: skip
    ]
    tasks = [task.pk for case in cases for task in engine.open_tasks(case)]
    notify([tom], complaint=cases[0], kind="fuzz", key="fuzz:1", data={})
    _token, key = services.token_issue(user=tom, name="โทรศัพท์ของทอม (fuzz)")
    ids = {"id": [case.pk for case in cases], "attachment_pk": [a.pk for a in attachments], "task": tasks}
    return Fuzzed(key, ids, tom)


@pytest.fixture
def wsgi(fuzzed):
    """Django's WSGI application, as a server runs it. It closes the database connection at
    the end of each request, as a server must; here the connection holds the test's
    transaction, so it stays open meanwhile."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# The document as /api/schema/ serves it, made when the tests are collected (no database).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def _aim(case, fuzzed: Fuzzed) -> None:
    """Point most generated ids at real objects: a fifth (a multiple of 5, or no number at
    all) keep what was generated."""
    for name, value in list((case.path_parameters or {}).items()):
        number = int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None
        if number is None or number % 5 == 0:
            continue
        pool = fuzzed.ids["task"] if case.operation.path.startswith("/api/v1/tasks/") else fuzzed.ids.get(name)
        if pool:
            case.path_parameters[name] = pool[number % len(pool)]


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_no_operation_answers_500_or_outside_the_document(case, fuzzed, wsgi):
    _aim(case, fuzzed)
    key = fuzzed.key
    if case.operation.method.upper() == "DELETE":
        # Signing out revokes the token it is sent with: a token of its own for each try.
        _token, key = services.token_issue(user=fuzzed.tom, name="ลงชื่อออก (fuzz)")
    response = case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS, app=wsgi)
    ANSWERS.setdefault(f"{case.operation.method.upper()} {case.operation.path}", Counter())[response.status_code] += 1
