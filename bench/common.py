"""What the benchmark scripts share: the project's venv and settings, percentiles, who to measure as.

Imported by the scripts in this folder (``from bench import common``, the project's folder put
first on ``sys.path``) before Django is set up; ``setup()`` does that.
"""

from __future__ import annotations

import math
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

INDEX_NODE = re.compile(r"(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def use_project_venv(script: str) -> None:
    """Re-run ``script`` with the project's venv when started by another python."""
    try:
        import django  # noqa: F401
    except ImportError:
        if VENV.exists() and Path(sys.prefix).resolve() != VENV.resolve():
            python = str(VENV / "bin" / "python")
            os.execv(python, [python, script, *sys.argv[1:]])  # noqa: S606 - our own venv's python
        raise


def setup(parser) -> None:
    """Django on the benchmark database, as production runs it (DEBUG off: no query log)."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL=postgres://... to the benchmark database (see bench/README.md)")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    if connection.vendor != "postgresql":
        parser.error("the benchmarks measure PostgreSQL")


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted ``samples``."""
    return samples[max(0, math.ceil(p / 100 * len(samples)) - 1)]


def busiest_district() -> str:
    """The district with the most unclaimed district-officer tasks (ties: the lowest code)."""
    from django.db.models import Count
    from viewflow.workflow.status import STATUS

    from core.roles import Role
    from workflows.models import CaseTask

    busiest = (
        CaseTask.objects.filter(status=STATUS.NEW, owner__isnull=True, queue=Role.DISTRICT_OFFICER)
        .values("district_id")
        .annotate(n=Count("id"))
        .order_by("-n", "district_id")
        .first()
    )
    return busiest["district_id"]


def pick(role: str, **scope):
    """The holder of ``role`` in the scope with the most open tasks in hand, then the most done
    (a team member: the one in the most teams, whose team queue is the widest)."""
    from django.db.models import Count
    from viewflow.workflow.status import STATUS

    from core.models import User
    from core.roles import Role
    from workflows.models import CaseTask

    people = list(User.objects.filter(is_active=True, roles__code=role, **scope).order_by("pk"))
    if not people:
        raise SystemExit(f"no active {role} in {scope}")
    ids = [p.pk for p in people]

    def by_owner(status) -> dict[int, int]:
        rows = CaseTask.objects.filter(status=status, owner_id__in=ids).values("owner_id").annotate(n=Count("id"))
        return {row["owner_id"]: row["n"] for row in rows}

    mine, done = by_owner(STATUS.NEW), by_owner(STATUS.DONE)
    if role == Role.TEAM_MEMBER:
        teams = dict(User.objects.filter(pk__in=ids).annotate(n=Count("team_memberships")).values_list("pk", "n"))
        return max(people, key=lambda p: (teams.get(p.pk, 0), mine.get(p.pk, 0), done.get(p.pk, 0), -p.pk))
    return max(people, key=lambda p: (mine.get(p.pk, 0), done.get(p.pk, 0), -p.pk))


def district_users(district) -> list[tuple[str, object]]:
    """(kind, user) for the officers of ``district`` and its province that the inboxes serve."""
    from core.roles import Role

    return [
        ("district officer", pick(Role.DISTRICT_OFFICER, district=district)),
        ("district head", pick(Role.DISTRICT_HEAD, district=district)),
        ("team member", pick(Role.TEAM_MEMBER, district=district)),
        ("province officer", pick(Role.PROVINCE_OFFICER, province=district.province, district__isnull=True)),
    ]


def plan_summary(text: str) -> tuple[list[str], list[str]]:
    """The indexes an EXPLAIN's text uses and the tables it scans sequentially."""
    return sorted({m.group(2) for m in INDEX_NODE.finditer(text)}), sorted(set(SEQ_SCAN.findall(text)))
