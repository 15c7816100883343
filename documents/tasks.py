from celery import shared_task

from documents import services


@shared_task(name="documents.read_page", ignore_result=True)
def read_page(document: int, number: int, attempt: int) -> None:
    """OCR one page of a scanned document (queued through the outbox, one message a page,
    so that each worker process reads a page of its own)."""
    services.read_page(document, number, attempt)


@shared_task(name="documents.finish", ignore_result=True)
def finish(document: int, attempt: int) -> None:
    """Join the pages read into the document's searchable PDF; the document is read."""
    services.finish(document, attempt)
