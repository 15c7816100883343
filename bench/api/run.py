#!/usr/bin/env python
"""The field app's API through Django's whole stack: a team member's case list and a progress report with photos.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/damrongdhama_bench bench/api/run.py [--json out.json]
        [--runs 100] [--warmup 10] [--uploads 30] [--photos 2] [--side 1600] [--repeat 1]

As the phone asks (bench/README.md, "bench/api"): the busiest district's team member (the one in
the most teams, bench/common.pick) signed in with a device token of his own, DEBUG off, Django's
test client (URL resolution, every middleware, DRF's authentication, the view, the JSON; no
socket). Timed with time.perf_counter around each request, after warm-up requests:

- GET /api/v1/cases/?mine=1 (his teams' cases and his tasks' ones, the app's first screen), its
  second page (the first page's ``next``), the whole list he may see, and one status;
- GET /api/v1/tasks/ (mine and the queue) and one case's page (/api/v1/cases/{id}/);
- POST /api/v1/cases/{id}/progress/: a note, a GPS position and --photos JPEG photos of --side
  pixels (what the app sends once it has resized the camera's photo), each request with an
  Idempotency-Key of its own, to an open case of his under investigation: the write path of a
  progress report (the service, the photos checked and re-encoded with their thumbnails, the
  timeline, the history, the audit rows, the workflow's clock), the answer the case's JSON. The
  case is his case under investigation with the shortest timeline that no earlier run reported
  on; the case page measured is his case with the longest timeline.

Per request: p50 and p95 ms, the queries it ran and their time (connection.execute_wrapper), the
bytes sent back; the photos' bytes for the upload.

It writes to the database it measures: a device token (revoked at the end), the progress reports
(--warmup 3 and --uploads of them on one case), their audit rows and photos (in a temporary
MEDIA_ROOT, deleted at the end). Run it on a benchmark database only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench import common  # noqa: E402 - after the project's folder is on the path

common.use_project_venv(__file__)

# What a phone on a weak signal needs from the list and the upload (server side).
TARGET_LIST_P95_MS = 50.0
TARGET_UPLOAD_P95_MS = 500.0
# The progress reports this bench writes begin with this.
NOTE = "[bench/api]"


def jpeg(side: int, seed: int) -> bytes:
    """A photo-like JPEG (a gradient with noise: as large as a camera's at that size)."""
    from PIL import Image

    rng = random.Random(seed)
    width, height = side, side * 3 // 4
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40 + rng.randint(0, 20)).convert("RGB")
    image = Image.blend(image, noise, 0.35)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="OUT", help="write the figures to this JSON file")
    parser.add_argument("--runs", type=int, default=100, help="timed requests per read")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=30, help="timed progress reports")
    parser.add_argument("--photos", type=int, default=2, help="photos per progress report")
    parser.add_argument("--side", type=int, default=1600, help="the photos' long side in pixels")
    parser.add_argument("--repeat", type=int, default=1, help="measure everything this many times, report medians")
    args = parser.parse_args()
    common.setup(parser)

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from viewflow.workflow.status import STATUS

    from api import services
    from cases.models import Complaint, Status
    from core.models import District
    from core.roles import Role
    from permissions.rules import can_report_progress

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    media = tempfile.TemporaryDirectory(prefix="bench-api-media-")
    settings.MEDIA_ROOT = media.name

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_complaint")
        cases = cursor.fetchone()[0]
        cursor.execute("SELECT current_database(), current_setting('server_version')")
        database, version = cursor.fetchone()
    if not cases:
        parser.error("no cases: run bench/generate first")

    district = District.objects.select_related("province").get(code=common.busiest_district())
    member = common.pick(Role.TEAM_MEMBER, district=district)
    visible = Complaint.objects.visible_to(member)
    # Cases an earlier run reported on are left out: their timelines grew with its reports.
    untouched = visible.exclude(progress_reports__text__startswith=NOTE)
    investigating = untouched.filter(status=Status.INVESTIGATING, team__in=member.teams.all(), tasks__status=STATUS.NEW)
    by_events = investigating.annotate(steps=Count("events", distinct=True)).order_by("steps", "-pk")
    target = by_events.first()
    if target is None or not can_report_progress(member, target):
        parser.error(f"{member} has no case under investigation to report on")
    # The case page: his case with the longest timeline (not the one reported on here).
    page_case = untouched.exclude(pk=target.pk).annotate(steps=Count("events")).order_by("-steps", "-pk").first()
    token, key = services.token_issue(user=member, name="bench/api")
    client = Client(headers={"authorization": f"Token {key}"})

    statements: list[float] = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started) * 1000)

    def timed(send) -> tuple[float, int, float, int, object]:
        statements.clear()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = send()
            body = response.content
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, len(statements), sum(statements), len(body), response

    first_page = client.get("/api/v1/cases/?mine=1").json()
    reads = [
        ("cases ?mine=1 (first page)", "/api/v1/cases/?mine=1"),
        ("cases ?mine=1 (second page)", first_page["next"] or "/api/v1/cases/?mine=1"),
        ("cases (all he sees)", "/api/v1/cases/"),
        ("cases ?status=investigating", "/api/v1/cases/?status=investigating"),
        ("tasks (mine)", "/api/v1/tasks/"),
        ("tasks (queue)", "/api/v1/tasks/?tab=queue"),
        (f"case page ({page_case.steps} steps)", f"/api/v1/cases/{page_case.pk}/"),
    ]
    photos = [jpeg(args.side, seed) for seed in range(args.photos)]

    def upload(n: int):
        files = [
            SimpleUploadedFile(f"IMG_{n:04d}_{i}.jpg", data, content_type="image/jpeg") for i, data in enumerate(photos)
        ]
        body = {
            "note": f"{NOTE} ลงพื้นที่ครั้งที่ {n}: เจรจากับคู่กรณี ตกลงรื้อถอนภายใน 7 วัน",
            "expected_status": "investigating",
            "latitude": "13.536530123",
            "longitude": "99.817100456",
            "photos": files,
        }
        return client.post(f"/api/v1/cases/{target.pk}/progress/", body, headers={"idempotency-key": str(uuid.uuid4())})

    load_before = os.getloadavg()
    repetitions: list[dict] = []
    uploaded = 0
    for _ in range(args.repeat):
        figures: dict = {}
        for name, url in reads:
            for _ in range(args.warmup):
                client.get(url)
            samples, queries, sql, size = [], 0, [], 0
            for _ in range(args.runs):
                elapsed, queries, sql_ms, size, response = timed(lambda url=url: client.get(url))
                assert response.status_code == 200, (url, response.status_code, response.content[:300])
                samples.append(elapsed)
                sql.append(sql_ms)
            figures[name] = _figures(samples, queries, sql, size)
        for _ in range(min(3, args.warmup)):
            uploaded += 1
            assert upload(uploaded).status_code == 201
        samples, sql = [], []
        for _ in range(args.uploads):
            uploaded += 1
            elapsed, queries, sql_ms, size, response = timed(lambda n=uploaded: upload(n))
            assert response.status_code == 201, (response.status_code, response.content[:300])
            samples.append(elapsed)
            sql.append(sql_ms)
        figures[f"progress + {args.photos} photos"] = _figures(samples, queries, sql, size)
        repetitions.append(figures)
    load_after = os.getloadavg()
    services.token_revoke(token=token, by=member)
    media.cleanup()

    names = list(repetitions[0])
    result = {
        name: {field: statistics.median(r[name][field] for r in repetitions) for field in repetitions[0][name]}
        for name in names
    }
    print("The field app's API, server time through Django's whole stack (test client, DEBUG off)")
    print(f"database {database} (PostgreSQL {version}): {cases} cases")
    print(f"district {district.code} {district.full_name_th}: {visible.count()} cases the team member sees")
    print(f"team member {member} ({member.national_id}), {member.teams.count()} teams; device token")
    print(
        f"{args.runs} requests per read after {args.warmup} warm-up ones; {args.uploads} progress reports of "
        f"{args.photos} photos ({args.side} px, {sum(map(len, photos)) // 1024} KB together) to case "
        f"{target.number}; median of {args.repeat} repetition(s)"
    )
    print()
    print(f"{'request':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'sql ms':>8} {'KB':>7}")
    for name, row in result.items():
        print(
            f"{name:32} {row['p50']:8.2f} {row['p95']:8.2f} {row['queries']:8.0f} {row['sql_ms']:8.2f} "
            f"{row['bytes'] / 1024:7.1f}"
        )
    print()
    list_p95 = max(row["p95"] for name, row in result.items() if not name.startswith("progress"))
    upload_p95 = result[f"progress + {args.photos} photos"]["p95"]
    print(f"worst read p95 {list_p95:.2f} ms (target <= {TARGET_LIST_P95_MS:.0f}); ", end="")
    print(f"progress report p95 {upload_p95:.2f} ms (target <= {TARGET_UPLOAD_P95_MS:.0f})")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (other work on the machine skews p95)")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"cases": cases, "member": member.pk, "case": target.pk, "figures": result}, indent=2)
        )
    return 0


def _figures(samples: list[float], queries: int, sql: list[float], size: int) -> dict:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": common.percentile(ordered, 95),
        "queries": queries,
        "sql_ms": statistics.median(sql),
        "bytes": size,
    }


if __name__ == "__main__":
    sys.exit(main())
