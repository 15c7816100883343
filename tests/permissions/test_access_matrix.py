"""The access matrix: every URL that takes an object identifier, for every role,
with objects inside and outside the role's scope.

The URL patterns are read from the URLconf, so a new object URL is covered
without anyone remembering to add it; one the matrix does not know how to
exercise fails the suite. Outside the scope the answer is 404 (or 403), never
the object's data.
"""

import datetime as dt
import io
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from cases import services
from cases.files import store_attachment
from cases.models import Complaint
from core.models import District
from permissions import services as sharing
from tests.case_fixtures import intake_data
from tests.factories import UserFactory
from workflows.engine import open_tasks

pytestmark = pytest.mark.django_db

# How to fill each object URL's arguments for a case, and the HTTP method the view
# answers. A new object URL must be added here, or the suite fails.
URLS = {
    "cases:detail": ("get", lambda o: {"pk": o["case"].pk}),
    "cases:action": ("get", lambda o: {"pk": o["case"].pk, "action": "reject"}),
    "cases:upload": ("post", lambda o: {"pk": o["case"].pk}),
    "cases:attachment": ("get", lambda o: {"pk": o["case"].pk, "attachment_pk": o["attachment"].pk}),
    "cases:attachment_thumbnail": ("get", lambda o: {"pk": o["case"].pk, "attachment_pk": o["attachment"].pk}),
    "cases:share": ("get", lambda o: {"pk": o["case"].pk}),
    "cases:revoke_share": ("post", lambda o: {"pk": o["case"].pk, "share_pk": o["share"].pk}),
    "workflows:claim": ("post", lambda o: {"pk": o["task"].pk}),
    "workflows:release": ("post", lambda o: {"pk": o["task"].pk}),
    "workflows:reassign": ("get", lambda o: {"pk": o["task"].pk}),
    "audit:case": ("get", lambda o: {"pk": o["case"].pk}),
    "audit:case_csv": ("get", lambda o: {"pk": o["case"].pk}),
    "audit:case_pdf": ("get", lambda o: {"pk": o["case"].pk}),
    "cases:print": ("get", lambda o: {"pk": o["case"].pk}),
    "cases:receipt": ("get", lambda o: {"pk": o["case"].pk}),
}

# Who sees which of the three cases: A in Mueang Ratchaburi (7001), B in Ban Pong
# (7005, the same province), C in Bangkok's Phra Nakhon (1001, another province).
ROLES = {
    "district_officer": ("alice", {"A"}),
    "district_head": ("harry", {"A"}),
    "team_member": ("tom", {"A"}),
    "province_officer": ("paula", {"A", "B"}),
    "province_head": ("pete", {"A", "B"}),
    "central_officer": ("carol", {"A", "B", "C"}),
    "auditor": ("audrey", {"A", "B", "C"}),
    "administrator": ("ada", {"A", "B", "C"}),
}


def object_patterns(resolver=None, namespace=""):
    """Yield (name, route) for every URL pattern that takes an argument."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from object_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.pattern.converters and pattern.name:
            yield f"{namespace}{pattern.name}", str(pattern.pattern)


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("ภาพ.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world(alice, harry, tom, team, bob, paula, pete, carol, audrey, ada, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bystander = UserFactory(first_name="ผู้รับแชร์", roles=["district_officer"], district="7101")
    bangkok = UserFactory(first_name="กรุงเทพ", roles=["district_officer"], district="1001")
    bangkok_head = UserFactory(first_name="ผอ.เขต", roles=["district_head"], district="1001")
    heads = {"7001": harry, "7005": UserFactory(roles=["district_head"], district="7005"), "1001": bangkok_head}

    def make(officer, label):
        case, _ = services.case_intake(actor=officer, district=officer.district, data=intake_data(subject=f"เรื่อง {label}"))
        attachment = store_attachment(case=case, uploaded=photo(), actor=officer)
        share = sharing.share_case(
            actor=heads[officer.district_id], case=case, user=bystander, reason="ประสาน",
            expires_on=timezone.localdate() + dt.timedelta(days=3),
        )  # fmt: skip
        return {"case": case, "attachment": attachment, "share": share}

    cases = {"A": make(alice, "A"), "B": make(bob, "B"), "C": make(bangkok, "C")}
    # Case A goes to Tom's team, so the team member has something inside his scope.
    services.case_propose_assignment(actor=alice, case=cases["A"]["case"], team=team)
    services.case_approve_assignment(actor=harry, case=cases["A"]["case"])
    for objects in cases.values():
        objects["case"].refresh_from_db()
        objects["task"] = open_tasks(objects["case"]).get()
    assert District.objects.get(code="1001").province_id != "70"
    return cases


def test_every_object_url_for_every_role_inside_and_outside(world, signed_in, request, capsys):
    patterns = dict(object_patterns())
    app_patterns = {name: route for name, route in patterns.items() if not name.startswith("admin:")}
    unknown = sorted(set(app_patterns) - set(URLS))
    assert not unknown, f"object URLs the access matrix cannot exercise (add them to URLS): {unknown}"

    pairs = 0
    for role, (person_name, inside) in ROLES.items():
        person = request.getfixturevalue(person_name)
        client = signed_in(person)
        for label, objects in world.items():
            for name, (method, kwargs) in URLS.items():
                url = reverse(name, kwargs=kwargs(objects))
                response = request_as(client, method, url)
                pairs += 1
                case = objects["case"]
                if label in inside:
                    assert response.status_code != 404, f"{role} cannot reach {name} of case {label} inside scope"
                else:
                    assert response.status_code in (403, 404), (
                        f"{role} got {response.status_code} for {name} of case {label} outside scope"
                    )
                    body = b"".join(response.streaming_content) if response.streaming else response.content
                    assert case.subject.encode() not in body and case.number.encode() not in body
    # Requests from outside changed nothing: case C's share stands and its task is unclaimed.
    outside = world["C"]
    outside["share"].refresh_from_db()
    outside["task"].refresh_from_db()
    assert outside["share"].revoked_at is None and outside["task"].owner_id is None
    assert Complaint.objects.get(pk=outside["case"].pk).attachments.count() == 1

    admin_pairs = exercise_admin(patterns, request, signed_in)
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(app_patterns)} object URL patterns x {len(ROLES)} roles x {len(world)} cases "
            f"= {pairs} role/object requests; {admin_pairs} admin object requests "
            f"({sum(1 for n in patterns if n.startswith('admin:'))} admin patterns)"
        )


def request_as(client, method, url):
    return client.get(url) if method == "get" else client.post(url, {"reason": "x", "file": photo()})


def exercise_admin(patterns, request, signed_in) -> int:
    """Admin object URLs: only staff get in; everyone else is sent to the admin login."""
    requests = 0
    models = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    for role, (person_name, _inside) in ROLES.items():
        person = request.getfixturevalue(person_name)
        if person.is_staff:
            continue
        client = signed_in(person)
        for name in patterns:
            if not name.startswith("admin:"):
                continue
            match = re.match(r"admin:(\w+?_\w+?)_(change|delete|history|reset_password)$", name)
            if not match or match.group(1) not in models:
                continue
            instance = models[match.group(1)].objects.order_by("pk").first()
            if instance is None:
                continue
            response = client.get(reverse(name, args=[instance.pk]))
            requests += 1
            assert response.status_code == 302 and "/admin/login/" in response.url, (role, name)
    return requests
