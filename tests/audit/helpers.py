"""Helpers for the audit tests: a case taken to closure with the moments in between,
and a way to spread its steps apart in recorded time."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time

import pytest
from django.utils import timezone

from cases import services
from cases.models import (
    Attachment,
    CaseEvent,
    Complainant,
    Complaint,
    Forwarding,
    ProgressReport,
    Respondent,
)
from tests.case_fixtures import intake_data

HISTORY_MODELS = (Complaint, Complainant, Respondent, ProgressReport, Attachment, Forwarding)


def tick() -> dt.datetime:
    """A moment strictly between what came before and what comes after."""
    time.sleep(0.005)
    moment = timezone.now()
    time.sleep(0.005)
    return moment


def closed_case(*, officer, head, member, team, **intake) -> tuple[Complaint, dict[str, dt.datetime]]:
    """A case taken through intake to closure through the services, and a moment of each stage."""
    moments = {"before": tick()}
    case, _ = services.case_intake(actor=officer, district=officer.district, data=intake_data(**intake))
    moments["received"] = tick()
    services.case_propose_assignment(actor=officer, case=case, team=team)
    services.case_approve_assignment(actor=head, case=case)
    moments["assigned"] = tick()
    services.case_accept(actor=member, case=case)
    services.case_report_progress(actor=member, case=case, text="ลงพื้นที่พบผู้ถูกร้อง ยินยอมรื้อถอนภายใน 7 วัน")
    moments["investigating"] = tick()
    services.case_propose_resolution(actor=member, case=case, outcome="resolved", summary="ผู้ถูกร้องรื้อถอนเพิงพักแล้ว")
    services.case_approve_closure(actor=head, case=case)
    moments["closed"] = tick()
    return Complaint.objects.get(pk=case.pk), moments


def spread(case, shifts: list[tuple[dt.datetime, dt.timedelta]]) -> None:
    """Move the recorded time of the case's steps back: a row recorded at or before
    the first moment of ``shifts`` by its delta, else at or before the next one by
    that one's, and so on. History rows and timeline events move; the audit log,
    which is append-only, stays as it was."""
    from workflows.models import CaseTask

    def delta_for(moment):
        for limit, delta in shifts:
            if moment <= limit:
                return delta
        return None

    tables = [(model.history, {"complaint_id": case.pk}) for model in HISTORY_MODELS if model is not Complaint]
    tables.append((Complaint.history, {"id": case.pk}))
    # A task's first history rows come before it is tied to the case: select by task.
    tables.append((CaseTask.history, {"id__in": CaseTask.objects.filter(complaint=case).values("pk")}))
    for manager, where in tables:
        for pk, moment in manager.filter(**where).values_list("pk", "history_date"):
            if (delta := delta_for(moment)) is not None:
                manager.filter(pk=pk).update(history_date=moment - delta)
    for pk, moment in CaseEvent.objects.filter(complaint=case).values_list("pk", "at"):
        if (delta := delta_for(moment)) is not None:
            CaseEvent.objects.filter(pk=pk).update(at=moment - delta)
    for task in CaseTask.objects.filter(complaint=case):
        fields = {}
        for name in ("created", "assigned", "started", "finished"):
            value = getattr(task, name, None)
            if value is not None and (delta := delta_for(value)) is not None:
                fields[name] = value - delta
        if fields:
            CaseTask.objects.filter(pk=task.pk).update(**fields)


def form_values(moment: dt.datetime) -> dict[str, str]:
    """The Buddhist-era date and the HH:MM time a person would type for ``moment``."""
    from core.thai import format_be_input

    local = timezone.localtime(moment)
    return {"date": format_be_input(local.date()), "time": local.strftime("%H:%M")}


def pdf_text(content: bytes, tmp_path) -> str:
    """The text of a PDF, read back with pdftotext, without whitespace.

    Words are separated by zero-width spaces (for line breaking) and pdftotext
    puts each on a line of its own: the text is compared without them. Outside
    CI a machine without poppler-utils skips; in CI (which installs it) that fails."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext not found: .ci/run installs Debian's poppler-utils")
        pytest.skip(
            "pdftotext (Debian's poppler-utils, `make sysdeps`) is not installed: the PDF's text cannot be read"
        )
    path = tmp_path / "record.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return "".join(raw.replace("\u200b", "").split())
