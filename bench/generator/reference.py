"""What every generated case draws from: districts and their people, topics, days, the flow's names."""

from __future__ import annotations

import datetime as dt
import random
from itertools import accumulate

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from viewflow.workflow.models import Process

from cases.demo import STORIES
from cases.models import Category, Complaint, RunningNumber
from core.models import District, Province, Subdistrict
from permissions import rules
from workflows import process
from workflows.flows import CaseFlow
from workflows.models import CaseTask

from . import text
from .staff import DistrictInfo, Staff


def weighted(pairs) -> tuple[list, list[float]]:
    """Values and cumulative weights, for ``random.choices(values, cum_weights=...)``."""
    return [value for value, _w in pairs], list(accumulate(w for _v, w in pairs))


class Reference:
    def __init__(self, *, rng: random.Random, seed: int, since: dt.date, today: dt.date):
        self._load_districts(rng, seed)
        self._load_topics()
        self._load_days(since, today)
        self.respondent_mix = {name: weighted(pairs) for name, pairs in text.RESPONDENTS.items()}
        self.default_respondents = weighted([("person", 60), ("agency_local", 25), (None, 15)])
        self.channels = weighted(text.CHANNELS)
        self.outcomes = weighted(text.OUTCOME_WEIGHTS)
        self.content_type_id = ContentType.objects.get_for_model(Complaint).pk
        # The flow's names as viewflow stores them ("workflows/flows.CaseFlow.triage").
        self.flow_class = Process._meta.get_field("flow_class").get_prep_value(CaseFlow)
        task_field = CaseTask._meta.get_field("flow_task")
        self.nodes = {
            task.name: (task_field.get_prep_value(node), node.task_type)
            for task in process.TASKS
            for node in [getattr(CaseFlow, task.name)]
        }

    def _load_districts(self, rng: random.Random, seed: int) -> None:
        # District weights depend on the seed only, so that a top-up makes the same districts busy.
        spread = random.Random(f"{seed}:districts")
        province_names = dict(Province.objects.values_list("code", "name_th"))
        self.province_labels = {code: name if code == "10" else f"จังหวัด{name}" for code, name in province_names.items()}
        subdistricts: dict[str, list[tuple[str, str]]] = {}
        for code, district, name in Subdistrict.objects.order_by("code").values_list("code", "district_id", "name_th"):
            prefix = "แขวง" if code.startswith("10") else "ตำบล"
            subdistricts.setdefault(district, []).append((code, f"{prefix}{name}"))
        self.districts: dict[str, DistrictInfo] = {}
        weights = []
        for code, province, name in District.objects.order_by("code").values_list("code", "province_id", "name_th"):
            subs = subdistricts.get(code)
            if not subs:
                continue
            label = name if province == "10" else f"อำเภอ{name}"
            self.districts[code] = DistrictInfo(code, province, label, subs)
            # Busier where there are more sub-districts, in provincial seats and in Bangkok,
            # with a spread of its own so that some districts stand out.
            weight = len(subs) * (1.8 if name.startswith("เมือง") else 1.0) * (3.0 if province == "10" else 1.0)
            weights.append(weight * spread.lognormvariate(0, 0.5))
        if not self.districts:
            raise ValueError("No districts with sub-districts: run migrate (it loads the Thai geography) first.")
        self.district_codes = list(self.districts)
        self.district_cum = list(accumulate(weights))
        self.staff = Staff(rng)
        self.staff.ensure(self.districts, list(province_names))
        self.recorders = {
            code: [p for p in info.people if rules.can_intake(p, District(code=code, province_id=info.province))]
            for code, info in self.districts.items()
        }

    def _load_topics(self) -> None:
        """(main category, sub-category or None, "other" text, subject, what happened), weighted."""
        categories = list(
            Category.objects.filter(is_active=True).values("id", "parent_id", "name_th", "is_other", "closure_days")
        )
        mains = {c["id"]: c for c in categories if c["parent_id"] is None}
        self.categories = Category.objects.in_bulk(list(mains))
        subs_of: dict[int, list[dict]] = {}
        for c in categories:
            if c["parent_id"] in mains:
                subs_of.setdefault(c["parent_id"], []).append(c)
        fragments: dict[str, list[tuple[str, str]]] = {}
        for sub, subject, what in text.FRAGMENTS:
            fragments.setdefault(sub, []).append((subject, what))
        for story in STORIES:
            fragments.setdefault(story[2], []).append((story[0], story[1]))
        self.topics, weights = [], []
        for main in mains.values():
            main_weight = text.MAIN_WEIGHTS.get(main["name_th"], 2)
            if main["is_other"]:
                for other_text, subject, what in text.OTHER_FRAGMENTS:
                    self.topics.append((main, None, other_text, subject, what))
                    weights.append(main_weight / len(text.OTHER_FRAGMENTS))
                continue
            options = []
            for sub in subs_of.get(main["id"], []):
                pairs = fragments.get(sub["name_th"]) or [
                    (f"ร้องเรียนเรื่อง{sub['name_th']}", f"ผู้ร้องได้รับความเดือดร้อนจากกรณี{sub['name_th']}")
                ]
                options += [(sub, subject, what) for subject, what in pairs]
            for sub, subject, what in options:
                self.topics.append((main, sub, "", subject, what))
                weights.append(main_weight / len(options))
        if not self.topics:
            raise ValueError("No active categories: run migrate (it seeds the categories) first.")
        self.topic_cum = list(accumulate(weights))

    def _load_days(self, since: dt.date, today: dt.date) -> None:
        """Received days, from ``since`` to yesterday: weekdays busier than weekends, and a
        gentle growth over the years."""
        first, last = since.toordinal(), today.toordinal() - 1
        if last < first:
            raise ValueError("--since must be before yesterday.")
        self.day_ordinals, weights = [], []
        for ordinal in range(first, last + 1):
            weekday = dt.date.fromordinal(ordinal).weekday()
            base = 1.0 if weekday < 5 else (0.3 if weekday == 5 else 0.2)
            self.day_ordinals.append(ordinal)
            weights.append(base * (0.8 + 0.4 * (ordinal - first) / max(1, last - first)))
        self.day_cum = list(accumulate(weights))


def running_numbers() -> dict[tuple[str, int], int]:
    """The last running number per (district, fiscal year): the counter rows, or the
    numbers already used if those are ahead."""
    last = {(d, y): n for d, y, n in RunningNumber.objects.values_list("district_id", "fiscal_year", "last")}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number_district_id, fiscal_year, max(running_number) FROM cases_complaint "
            "GROUP BY number_district_id, fiscal_year"
        )
        for district, year, used in cursor.fetchall():
            last[(district, year)] = max(last.get((district, year), 0), used)
    return last
