"""One generated complaint: its texts, its people, and the steps that led it to its state.

The case is a ``Complaint`` in memory, moved by the model's own transitions (they set
its team, outcome, closing time, ...; ``bench.generator.stories`` chooses which). Each
step writes what the services write for it: the timeline event, the history row, the
audit row (``bench.generator.auditlog``), and the rows of the action itself (``DETAILS``:
the progress report, the forwarding, ...). The workflow moves as the engine moves it:
the open task is done by the step's actor, and the task of the new state
(``workflows.process``) opens with the engine's queue and due time. Who acts is whoever
the action's rule (``cases.actions``) allows, the holders of the open task first. The
search vector is ``cases.search``'s, the number the model's.
"""

from __future__ import annotations

import datetime as dt
import operator
import random
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from cases import search
from cases.actions import ACTIONS
from cases.codes import ALPHABET, LENGTH
from cases.models import Complaint, Respondent, Team
from cases.services import _snapshot
from core.models import User
from core.thai import fiscal_year_be, make_national_id
from permissions import rules
from workflows import engine, process

from . import text
from .auditlog import AuditLog
from .reference import Reference
from .rows import COMPLAINANTS, COMPLAINTS, FORWARDINGS, MOMENTS, RESPONDENTS, Batch, Cells, IdPool, cell, line, to_json
from .staff import DistrictInfo
from .stories import WEIGHTS, Stories

# Days between a step and the one before it (uniform between the bounds).
GAPS = {
    "propose_assignment": (0.05, 2), "approve_assignment": (0.05, 2), "send_back_assignment": (0.05, 1),
    "accept": (0.1, 3), "report_progress": (2, 12), "propose_resolution": (2, 20), "approve_closure": (0.2, 5),
    "forward": (0.5, 7), "agency_replied": (5, 40), "escalate": (1, 14), "reject": (0.2, 7), "withdraw": (1, 30),
}  # fmt: skip
CLAIMED_SHARE = 0.35  # open tasks someone has taken from the queue
TOKEN = "start"  # noqa: S105 - viewflow's token of a flow's first branch, not a secret
# The moments a transition stamps with timezone.now(); a generated step happened earlier.
STAMPED = [f.attname for f in Complaint._meta.concrete_fields if isinstance(f, models.DateTimeField)]
_stamped = operator.attrgetter(*STAMPED)


@dataclass(slots=True)
class Task:
    """A workflow task as the engine stamps it when it opens."""

    id: int
    name: str
    created: dt.datetime
    district_id: str
    province_id: str
    team_id: int | None
    queue: str
    due_at: dt.datetime


@dataclass
class Story:
    """One case on its way: what its steps share."""

    id: int
    case: Complaint
    info: DistrictInfo
    team: Team  # the team an assignment proposes
    rows: dict[str, list[str]]
    recorded: dt.datetime
    process_id: int
    end: dt.datetime | None = None  # the last step's moment
    complainants: list = field(default_factory=list)
    respondents: list = field(default_factory=list)
    forwardings: list = field(default_factory=list)
    cells: Cells = field(default_factory=Cells)  # of the case's last history row


class Generator:
    def __init__(self, *, rng: random.Random, seed: int, since: dt.date, now: dt.datetime):
        self.rng = rng
        self.now = int(now.timestamp())
        self.tz = timezone.get_current_timezone()
        self.offset = int(now.astimezone(self.tz).utcoffset().total_seconds())
        self.epoch_day = dt.date(1970, 1, 1).toordinal()
        self.ref = Reference(rng=rng, seed=seed, since=since, today=timezone.localdate(now))
        self.stories = Stories(rng)
        assert {*WEIGHTS, self.stories.report} <= set(GAPS) and set(DETAILS) <= set(ACTIONS)
        self.pools: dict[str, IdPool] = {}
        self.audit = AuditLog(self.take)  # its chain's head: make the generator with the chain held
        self.open_states: dict[str, int] = {}
        self._people: dict[tuple, list[User]] = {}

    def case(self, batch: Batch, counters: dict, day: int) -> None:
        """Add one case received on the ``day``-th day to ``batch``."""
        MOMENTS.clear()
        story = self._intake(batch, counters, day)
        steps = self.stories.steps(self.stories.goal((self.now - story.recorded.timestamp()) / 86400))
        task = self._walk(story, steps, self._times(steps, int(story.recorded.timestamp())))
        self._finish(story, task)
        batch.cases += 1

    # Helpers ----------------------------------------------------------------------------

    def take(self, table: str) -> int:
        pool = self.pools.get(table)
        if pool is None:
            pool = self.pools[table] = IdPool(table)
        return pool.take()

    def at(self, t: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(t, tz=dt.UTC)

    def person_name(self) -> tuple[str, str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            return "นาย", rng.choice(text.FIRST_NAMES_M), rng.choice(text.SURNAMES)
        return ("นาง" if rng.random() < 0.6 else "นางสาว"), rng.choice(text.FIRST_NAMES_F), rng.choice(text.SURNAMES)

    def people(self, case: Complaint, info: DistrictInfo, *, queue: str, action: str | None = None) -> list[User]:
        """Who may take ``action`` on ``case`` now, those holding ``queue`` first; without an
        action, who may hold a task in ``queue``. The rules read the user's roles, scope and
        teams and the case's district, team and escalation (and its respondents, which are
        never accounts here), so the answer is kept per those."""
        key = (action, queue, case.district_id, case.team_id, case.is_escalated)
        found = self._people.get(key)
        if found is None:
            holds = rules.QUEUE_HOLDERS.get(queue)
            if action is None:
                found = [p for p in info.people if holds and holds(p, case)]
            else:
                rule = ACTIONS[action].rule
                allowed = [p for p in info.people if rule(p, case)]
                if not allowed:
                    raise ValueError(f"nobody in {info.code} may {action} a case in {case.status}")
                found = [p for p in allowed if holds and holds(p, case)] or allowed
            self._people[key] = found
        return found

    # The case received ------------------------------------------------------------------

    def _intake(self, batch: Batch, counters: dict, day: int) -> Story:
        """The case as intake records it: where, when, what, who complains about whom."""
        rng, ref, take = self.rng, self.ref, self.take
        code = rng.choices(ref.district_codes, cum_weights=ref.district_cum)[0]
        info = ref.districts[code]
        ordinal = ref.day_ordinals[day]
        received_on = dt.date.fromordinal(ordinal)
        t0 = (ordinal - self.epoch_day) * 86400 - self.offset + rng.randint(8 * 3600 + 1800, 16 * 3600 + 1800)
        recorded = self.at(min(t0, self.now - 3600))
        main, sub, other_text, subject_core, what = rng.choices(ref.topics, cum_weights=ref.topic_cum)[0]
        fiscal_year = fiscal_year_be(received_on)
        number = counters.get((code, fiscal_year), 0) + 1
        counters[(code, fiscal_year)] = batch.running_numbers[(code, fiscal_year)] = number

        teams = info.teams
        if rng.random() < 0.45:
            team = rng.choice(teams)
            subdistrict = next((s for s in info.subdistricts if s[0] == team.subdistrict_id), None)
            subdistrict = subdistrict or rng.choice(info.subdistricts)
        else:
            subdistrict = rng.choice(info.subdistricts)
            team = next((t for t in teams if t.subdistrict_id == subdistrict[0]), None) or rng.choice(teams)
        moo = str(rng.randint(1, 15))
        subject = subject_core if rng.random() < 0.7 else f"{subject_core} {subdistrict[1]}"
        opening, duration = rng.choice(text.OPENINGS), rng.choice(text.DURATIONS)
        parts = [opening + what, "เหตุเกิดที่หมู่", moo, subdistrict[1], info.label]
        if rng.random() < 0.6:
            parts += [duration[0], str(rng.randint(2, 12)), duration[1]]
        parts.append(rng.choice(text.REQUESTS))
        house = f"{rng.randint(1, 250)}/{rng.randint(1, 9)}" if rng.random() < 0.5 else str(rng.randint(1, 400))
        recorder = rng.choice(ref.recorders[code])
        case = COMPLAINTS.new(
            tracking_code="".join(rng.choices(ALPHABET, k=LENGTH)), district_id=code, province_id=info.province,
            number_district_id=code, fiscal_year=fiscal_year, running_number=number,
            channel=rng.choices(ref.channels[0], cum_weights=ref.channels[1])[0], received_on=received_on,
            recorded_by_id=recorder.pk, recorded_at=recorded, main_category_id=main["id"],
            category_id=sub["id"] if sub else None, category_other_text=other_text, subject=subject,
            description=" ".join(parts), incident_subdistrict_id=subdistrict[0],
            incident_address=f"หมู่ {moo}" if rng.random() < 0.5 else f"บ้านเลขที่ {house} หมู่ {moo}",
            due_on=ref.categories[main["id"]].due_on(received_on),
        )  # fmt: skip
        case.main_category = ref.categories[main["id"]]  # the clocks read its days
        story = Story(take("cases_complaint"), case, info, team, batch.rows, recorded, take("viewflow_process"))

        anonymous = rng.random() < 0.04
        title, first, last = ("", "", "") if anonymous else self.person_name()
        home = rng.choice(info.subdistricts) if rng.random() < 0.2 else subdistrict
        story.complainants.append(COMPLAINANTS.new(
            id=take("cases_complainant"), complaint_id=story.id, is_anonymous=anonymous,
            is_confidential=not anonymous and rng.random() < 0.06, title=title, first_name=first, last_name=last,
            national_id=make_national_id(f"{rng.randint(1, 8)}{rng.randrange(10**11):011d}")
            if not anonymous and rng.random() < 0.7 else "",
            phone=f"0{rng.choice('689')}{rng.randrange(10**8):08d}" if rng.random() < 0.9 else "",
            address="" if anonymous else f"บ้านเลขที่ {house} หมู่ {rng.randint(1, 15)} {home[1]} {info.label}",
            subdistrict_id=home[0],
        ))  # fmt: skip
        kinds, cum = ref.respondent_mix.get(main["name_th"], ref.default_respondents)
        if (kind := rng.choices(kinds, cum_weights=cum)[0]) is not None:
            name, position, party_kind = self._respondent(kind, info, subdistrict)
            story.respondents.append(RESPONDENTS.new(
                id=take("cases_respondent"), complaint_id=story.id, kind=party_kind, name=name, position=position,
            ))  # fmt: skip
        for rows_of, parties in ((COMPLAINANTS, story.complainants), (RESPONDENTS, story.respondents)):
            for party in parties:
                story.rows[rows_of.table].append(rows_of.row(party))
                story.rows[rows_of.history_table].append(rows_of.history_row(
                    party, history_id=take(rows_of.history_table), at=recorded, reason=None, kind="+",
                    user_id=recorder.pk,
                ))  # fmt: skip

        story.rows[COMPLAINTS.history_table].append(COMPLAINTS.history_row(
            case, history_id=take(COMPLAINTS.history_table), at=recorded, reason="intake", kind="+",
            user_id=recorder.pk, pk=story.id, cells=story.cells,
        ))  # fmt: skip
        story.rows["cases_caseevent"].append(self._event(story, "intake", "", recorder, recorded, "", "{}"))
        self.audit.transition(
            story.rows, recorder, case, story.id, "intake", recorded, before={}, after=_snapshot(case)
        )
        return story

    def _respondent(self, kind: str, info: DistrictInfo, subdistrict) -> tuple[str, str, str]:
        rng = self.rng
        tambon = subdistrict[1].removeprefix("ตำบล").removeprefix("แขวง")
        if kind == "person":
            title, first, last = self.person_name()
            return f"{title}{first} {last}", "", Respondent.Kind.PERSON
        if kind == "company":
            word = rng.choice(text.COMPANY_WORDS)
            name = rng.choice([f"บริษัท {word} จำกัด", f"ห้างหุ้นส่วนจำกัด {word}", f"ร้าน{word}"])
            return name, "", Respondent.Kind.COMPANY
        if kind == "company_finance":
            return f"บริษัท {rng.choice(text.COMPANY_WORDS)} ลิสซิ่ง จำกัด", "", Respondent.Kind.COMPANY
        if kind == "official":
            title, first, last = self.person_name()
            position = f"{rng.choice(text.OFFICIAL_POSITIONS)} {info.label}"
            return f"{title}{first} {last}", position, Respondent.Kind.OFFICIAL
        if kind == "agency_land":
            return f"สำนักงานที่ดิน{self.ref.province_labels[info.province]}", "", Respondent.Kind.AGENCY
        if kind == "agency_utility":
            name = rng.choice([f"การไฟฟ้าส่วนภูมิภาค{info.label}", f"การประปาส่วนภูมิภาค{info.label}"])
            return name, "", Respondent.Kind.AGENCY
        if info.province == "10":
            return f"สำนักงาน{info.label}", "", Respondent.Kind.AGENCY
        return rng.choice([f"องค์การบริหารส่วนตำบล{tambon}", f"เทศบาลตำบล{tambon}"]), "", Respondent.Kind.AGENCY

    # Its steps --------------------------------------------------------------------------

    def _times(self, steps: list[str], t0: int) -> list[int]:
        """When each step was taken: gaps by the action, squeezed to end before now."""
        rng = self.rng
        gaps = [rng.uniform(*GAPS[name]) * 86400 for name in steps]
        available, total = self.now - 120 - t0, sum(gaps)
        if total > available:
            scale = available * rng.uniform(0.5, 0.98) / total
            gaps = [gap * scale for gap in gaps]
        times, t = [], t0
        for gap in gaps:
            t += max(1, int(gap))
            times.append(t)
        return times

    def _walk(self, story: Story, steps: list[str], times: list[int]) -> Task | None:
        """Take the steps as their services take them; return the task left open."""
        case, rows, take = story.case, story.rows, self.take
        story.end = story.recorded
        task = self._open_task(process.task_for(case.status).name, case, story.recorded)
        previous = None
        for name, t in zip(steps, times, strict=True):
            when = story.end = self.at(t)
            actor = self.rng.choice(self.people(case, story.info, queue=task.queue, action=name))
            args, note, data = DETAILS.get(name, _with_note)(self, story, name, when, actor)
            from_status, before = case.status, _snapshot(case)
            _move(case, name, args, when)
            rows[COMPLAINTS.history_table].append(COMPLAINTS.history_row(
                case, history_id=take(COMPLAINTS.history_table), at=when, reason=name, kind="~", user_id=actor.pk,
                pk=story.id, cells=story.cells,
            ))  # fmt: skip
            rows["cases_caseevent"].append(
                self._event(story, name, from_status, actor, when, note, to_json(data) if data else "{}")
            )
            self.audit.transition(
                rows, actor, case, story.id, name, when, before=before, after=_snapshot(case), note=note
            )
            if not ACTIONS[name].moves_task:
                task.due_at = engine.due_at(task.name, case, task.created)  # its clock restarts
                continue
            # The open task is done by the actor; the new state's task (if any) opens.
            rows["workflows_casetask"].append(self._task_row(story, task, "DONE", actor.pk, None, when))
            self._link(rows, task, previous)
            previous, kind = task, process.task_for(case.status)
            task = kind and self._open_task(kind.name, case, when)
        if task is not None:
            self._link(rows, task, previous)
        return task

    def _open_task(self, name: str, case: Complaint, created: dt.datetime) -> Task:
        # No generated story returns, transfers or reopens a case: no task comes back (came_back).
        return Task(id=self.take("workflows_casetask"), name=name, created=created, **engine.stamp(name, case, created))

    def _link(self, rows, task: Task, previous: Task | None) -> None:
        if previous is not None:
            rows["workflows_casetask_previous"].append(
                line((self.take("workflows_casetask_previous"), task.id, previous.id))
            )

    def _event(self, story: Story, name: str, from_status: str, actor: User, when, note: str, data: str) -> str:
        """The timeline event's row (columns ``rows.COLUMNS["cases_caseevent"]``, spelled out: a frequent row)."""
        return (
            f"{self.take('cases_caseevent')}\t{name}\t{from_status}\t{story.case.status}\t"
            f"{cell(actor.get_full_name())}\t{cell(when)}\t{cell(note)}\t{cell(data)}\t{actor.pk}\t{story.id}\n"
        )

    def _task_row(self, story: Story, task: Task, status: str, owner_id, assigned, done_at) -> str:
        """The task's row (columns ``rows.COLUMNS["workflows_casetask"]``, spelled out: the most frequent row)."""
        flow_task, task_type = self.ref.nodes[task.name]
        done = cell(done_at)
        return (
            f"{task.id}\t{flow_task}\t{task_type}\t{status}\t{cell(task.created)}\t{cell(assigned)}\t{done}\t{done}\t"
            f"{TOKEN}\t{{}}\t{task.queue}\t{cell(task.due_at)}\t{story.id}\t{task.district_id}\t{cell(owner_id)}\t"
            f"{story.process_id}\t{task.province_id}\t{cell(task.team_id)}\n"
        )

    # What is left -----------------------------------------------------------------------

    def _finish(self, story: Story, task: Task | None) -> None:
        """The open task (some claimed), the process, the forwardings and the case's row."""
        case, rows, rng = story.case, story.rows, self.rng
        if task is not None:
            owner, assigned = None, None
            holders = self.people(case, story.info, queue=task.queue)
            if holders and rng.random() < CLAIMED_SHARE:
                owner = rng.choice(holders).pk
                assigned = self.at(min(self.now - 60, int(task.created.timestamp()) + rng.randint(300, 86400)))
            rows["workflows_casetask"].append(self._task_row(story, task, "NEW", owner, assigned, None))
            self.open_states[case.status] = self.open_states.get(case.status, 0) + 1
        end = story.end
        rows["viewflow_process"].append(line((
            story.process_id, self.ref.flow_class, "NEW" if task else "DONE", story.recorded, None if task else end,
            self.ref.content_type_id, story.id, "{}",
        )))  # fmt: skip
        for forwarding in story.forwardings:
            rows[FORWARDINGS.table].append(FORWARDINGS.row(forwarding))
        case.pk, case.updated_at = story.id, end
        case.search_vector = search.vector(case, story.complainants, story.respondents)
        case.search_version = search.SEARCH_VERSION
        rows[COMPLAINTS.table].append(COMPLAINTS.row(case))

    def local_date(self, when: dt.datetime) -> dt.date:
        return when.astimezone(self.tz).date()


def _move(case: Complaint, name: str, args: tuple, when: dt.datetime) -> None:
    """Take the model's transition ``name``; the moments it stamps now happened at ``when``."""
    before = _stamped(case)
    getattr(case, name)(*args)
    for attname, old, new in zip(STAMPED, before, _stamped(case), strict=True):
        if new is not None and new is not old:
            setattr(case, attname, when)


# --- What an action writes besides its transition, event and history row --------------
# Each returns the transition's arguments, the event's note and its data, as the action's
# service (cases.services.case_<action>) records them.


def _with_note(gen: Generator, story: Story, name: str, when, actor) -> tuple:
    notes = text.NOTES.get(name)
    return (), gen.rng.choice(notes) if notes else "", {}


def _propose_assignment(gen, story, name, when, actor) -> tuple:
    return (story.team,), "", {"team": story.team.name}


def _approve_assignment(gen, story, name, when, actor) -> tuple:
    return (), "", {"team": story.case.team.name}


def _report_progress(gen, story, name, when, actor) -> tuple:
    report_id, note = gen.take("cases_progressreport"), gen.rng.choice(text.PROGRESS_TEXTS)
    story.rows["cases_progressreport"].append(line((report_id, note, None, None, when, actor.pk, story.id)))
    return (), note, {"report": report_id, "photos": 0}


def _propose_resolution(gen, story, name, when, actor) -> tuple:
    outcome = gen.rng.choices(gen.ref.outcomes[0], cum_weights=gen.ref.outcomes[1])[0]
    summary = gen.rng.choice(text.SUMMARIES[outcome])
    return (outcome, summary), summary, {"outcome": str(outcome)}


def _approve_closure(gen, story, name, when, actor) -> tuple:
    outcome, summary = story.case.proposed_outcome, story.case.proposed_summary
    return (outcome, summary), summary, {"outcome": str(outcome)}


def _forward(gen, story, name, when, actor) -> tuple:
    rng, info = gen.rng, story.info
    forwarding = FORWARDINGS.new(
        id=gen.take(FORWARDINGS.table), complaint_id=story.id, forwarded_by_id=actor.pk, forwarded_at=when,
        agency=rng.choice(text.FORWARD_AGENCIES).format(p=gen.ref.province_labels[info.province], d=info.label),
        letter_number=f"มท {info.code}.{rng.randint(1, 9)}/{rng.randint(100, 9999)}", letter_date=gen.local_date(when),
        note=rng.choice(text.NOTES[name]),
    )  # fmt: skip
    story.forwardings.append(forwarding)
    return (), forwarding.note, {"agency": forwarding.agency, "letter_number": forwarding.letter_number}


def _agency_replied(gen, story, name, when, actor) -> tuple:
    forwarding = next(f for f in reversed(story.forwardings) if f.replied_on is None)  # the letter awaiting its answer
    forwarding.reply, forwarding.replied_on = gen.rng.choice(text.NOTES[name]), gen.local_date(when)
    forwarding.reply_letter_number = f"{gen.rng.randint(100, 9999)}/{story.case.fiscal_year}"
    forwarding.reply_recorded_by_id = actor.pk
    return (), forwarding.reply, {"agency": forwarding.agency}


DETAILS = {
    "propose_assignment": _propose_assignment,
    "approve_assignment": _approve_assignment,
    "report_progress": _report_progress,
    "propose_resolution": _propose_resolution,
    "approve_closure": _approve_closure,
    "forward": _forward,
    "agency_replied": _agency_replied,
}
