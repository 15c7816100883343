"""The documents' side of the case search (cases.search): the text of a case's pages,
and a case indexed again when one of its documents changes.

``cases`` sits below this app and must not import it: ``install`` (called by
``DocumentsConfig.ready``) hands it ``page_texts`` and connects the receiver.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf

from cases import search
from documents.models import Page
from documents.signals import document_changed


def page_texts(complaint_ids: Collection[int], needles: Collection[str] = ()) -> Iterator[search.PageText]:
    """The pages with text of the cases' documents, case by case in reading order (a
    document after the one uploaded before it, its pages by number); with ``needles``,
    only the pages holding one of them. One query."""
    pages = Page.objects.filter(document__complaint_id__in=list(complaint_ids)).exclude(text="")
    if needles:
        holding = Q()
        for needle in needles:
            holding |= Q(text__icontains=needle)
        pages = pages.filter(holding)
    rows = pages.order_by("document__complaint_id", "document__uploaded_at", "document_id", "number").values_list(
        "document__complaint_id",
        "document_id",
        Coalesce(NullIf("document__description", Value("")), "document__original_name"),
        "number",
        "text",
    )
    for complaint_id, document_id, name, number, text in rows:
        yield search.PageText(complaint_id, document_id, name, number, text)


def document_changed_receiver(sender, document, previous_complaint_id=None, **kwargs) -> None:
    """Index again the case the document is on, and the one it left if it moved
    (``previous_complaint_id``), once the change commits."""
    search.reindex_after_commit([document.complaint_id, previous_complaint_id])


def install() -> None:
    search.provide_page_texts(page_texts)
    document_changed.connect(document_changed_receiver, dispatch_uid="documents.search")
