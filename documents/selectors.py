"""The read path of scanned documents, scoped to the user.

A document on a case is seen exactly as its case is (``Complaint.objects.visible_to``).
A letter in a center's tray belongs to no case yet, so it is seen by scope: the staff
who see every case of that district (its officers and heads, the province's staff,
the central officers; auditors and administrators at their level), as
``permissions.scoping.visibility`` sees a district's cases, without the teams (a team
sees only the cases given to it) and without shares (they are of cases).
tests/documents/test_access.py checks the two rules against each other for everyone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cases.models import Complaint
from cases.selectors import get_case_for_user
from core.keyset import decode_cursor, encode_cursor
from core.models import District
from core.roles import Role, ScopeLevel
from documents.models import Batch, Document, Page

# The roles that see all of a district's cases at each scope level (permissions.scoping.visibility).
_SEES_DISTRICTS = {
    ScopeLevel.DISTRICT: {Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD, Role.AUDITOR, Role.ADMINISTRATOR},
    ScopeLevel.PROVINCE: {Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD, Role.AUDITOR, Role.ADMINISTRATOR},
    ScopeLevel.NATION: {Role.CENTRAL_OFFICER, Role.AUDITOR, Role.ADMINISTRATOR},
}
TRAY_PAGE_SIZE = 25


def sees_trays(user) -> bool:
    """Whether ``user`` sees any center's tray (the menu entry, the tray page)."""
    return bool(
        user.is_authenticated and user.is_active and user.role_codes & _SEES_DISTRICTS.get(user.scope_level, set())
    )


def trays(user, path: str = "district") -> Q:
    """The districts whose trays ``user`` sees, as a condition on ``path`` (a District key)."""
    if not sees_trays(user):
        return Q(pk__in=[])
    if user.scope_level == ScopeLevel.NATION:
        return Q()
    if user.scope_level == ScopeLevel.PROVINCE:
        return Q(**{f"{path}__province_id": user.province_id})
    return Q(**{f"{path}_id": user.district_id})


def sees_tray(user, district: District) -> bool:
    """Whether ``user`` sees the tray of ``district``."""
    if not sees_trays(user):
        return False
    if user.scope_level == ScopeLevel.NATION:
        return True
    if user.scope_level == ScopeLevel.PROVINCE:
        return district.province_id == user.province_id
    return district.pk == user.district_id


def may_add_to_tray(user, district_code: str) -> bool:
    """Who adds letters to a center's tray: its officers and heads (they receive the letters)."""
    return bool(
        user.is_authenticated
        and user.scope_level == ScopeLevel.DISTRICT
        and user.district_id == district_code
        and user.role_codes & {Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD}
    )


def documents_for(user) -> QuerySet[Document]:
    """The documents ``user`` sees: those of the cases he sees, and those of the trays he sees."""
    on_cases = Q(complaint__in=Complaint.objects.visible_to(user).values("pk"))
    in_trays = Q(complaint__isnull=True) & trays(user)
    return Document.objects.filter(on_cases | in_trays)


def get_document_for_user(user, pk) -> Document:
    """The document ``pk`` if ``user`` sees it (its case, with the case's checks), else Http404."""
    document = Document.objects.select_related("district", "batch").filter(pk=pk).first()
    if document is None:
        raise Http404
    if document.complaint_id is not None:
        document.complaint = get_case_for_user(user, document.complaint_id)
    elif document.district is None or not sees_tray(user, document.district):
        raise Http404
    return document


def case_documents(case) -> QuerySet[Document]:
    return case.documents.order_by("-uploaded_at", "-id").select_related("uploaded_by")


# --- The tray -------------------------------------------------------------------------------


@dataclass
class TrayPage:
    documents: list[Document]
    next_cursor: str


DISTRICT_CODE = re.compile(r"[0-9]{4}")


def tray_page(user, *, district: str = "", after: str = "", size: int = TRAY_PAGE_SIZE) -> TrayPage:
    """The letters not yet on a case in the trays ``user`` sees (one center's if
    ``district``), newest first, a page at a time (keyset on the tray index)."""
    rows = Document.objects.filter(trays(user), complaint__isnull=True).select_related("district", "uploaded_by")
    # A district's code is four digits; anything else typed into the address is no filter.
    if district and DISTRICT_CODE.fullmatch(district):
        rows = rows.filter(district_id=district)
    position = decode_cursor(after, dt.datetime.fromisoformat) if after else None
    if position is not None:
        moment, pk = position
        rows = rows.filter(Q(uploaded_at__lt=moment) | Q(uploaded_at=moment, pk__lt=pk))
    found = list(rows.order_by("-uploaded_at", "-id")[: size + 1])
    more = len(found) > size
    found = found[:size]
    cursor = encode_cursor(found[-1].uploaded_at.isoformat(), found[-1].pk) if more else ""
    return TrayPage(found, cursor)


def tray_districts(user) -> list[District]:
    """The centers a province's staff pick a tray from (a district's staff have one; the
    nation's type a district's code)."""
    if sees_trays(user) and user.scope_level == ScopeLevel.PROVINCE:
        return list(District.objects.filter(province_id=user.province_id).order_by("code"))
    return []


# --- Batches --------------------------------------------------------------------------------


def get_batch_for_user(user, pk) -> Batch:
    """The batch ``pk`` if ``user`` sees its center's tray, else Http404."""
    batch = Batch.objects.select_related("district").filter(pk=pk).first()
    if batch is None or batch.district is None or not sees_tray(user, batch.district):
        raise Http404
    return batch


def recent_batches(user, *, limit: int = 10) -> list[Batch]:
    return list(Batch.objects.filter(trays(user)).select_related("district")[:limit])


@dataclass(frozen=True)
class Progress:
    total_files: int  # found in the ZIP or the folder
    documents: int  # made of them
    rejected: list  # [{"name", "reason"}]
    queued: int
    reading: int
    done: int
    failed: int
    pages: int
    pages_read: int
    finished_import: bool

    @property
    def finished(self) -> bool:
        """Every file imported or refused, and every document read or failed."""
        return self.finished_import and self.queued == 0 and self.reading == 0

    @property
    def percent(self) -> int:
        """How far the batch is: files taken in, then pages read (a failed document counts as ended)."""
        if self.finished:
            return 100
        handled = self.documents + len(self.rejected)
        imported = handled / self.total_files if self.total_files else 1.0
        read = self.pages_read / self.pages if self.pages else 0.0
        return min(99, int(100 * (0.1 * imported + 0.9 * read)))

    def as_json(self) -> dict:
        return {
            "total_files": self.total_files, "documents": self.documents, "rejected": self.rejected,
            "queued": self.queued, "reading": self.reading, "done": self.done, "failed": self.failed,
            "pages": self.pages, "pages_read": self.pages_read, "finished": self.finished, "percent": self.percent,
        }  # fmt: skip


def batch_progress(batch: Batch) -> Progress:
    """Where a batch is: files taken in and refused, documents by status, pages read (two queries)."""
    counts = dict(batch.documents.values_list("status").annotate(n=Count("pk")).order_by())
    # A failed document's pages are ended too: nobody reads them until it is retried.
    ended = Q(read_at__isnull=False) | Q(document__status=Document.Status.FAILED)
    pages = Page.objects.filter(document__batch=batch).aggregate(total=Count("pk"), ended=Count("pk", filter=ended))
    return Progress(
        total_files=batch.total,
        documents=sum(counts.values()),
        rejected=[{"name": item.get("name", ""), "reason": item.get("reason", "")} for item in batch.rejected],
        queued=counts.get(Document.Status.QUEUED, 0),
        reading=counts.get(Document.Status.READING, 0),
        done=counts.get(Document.Status.DONE, 0),
        failed=counts.get(Document.Status.FAILED, 0),
        pages=pages["total"],
        pages_read=pages["ended"],
        finished_import=batch.finished_at is not None,
    )
