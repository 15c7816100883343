"""``Idempotency-Key``: a request sent again gets the first answer, and acts once.

A phone that queued work offline sends each item with a key it made (a UUID) and sends
it again when it cannot tell whether the first try arrived. The key is kept with the
answer (``api.IdempotencyRecord``, per user) in the transaction of the action itself:
either both are written or neither, and a second request with the same key waits for
the first one's transaction (the unique constraint), then gets its answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import ApiError
from api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_KEY = re.compile(r"[A-Za-z0-9._:-]{1,100}")


class _Undo(Exception):
    """An answer that did not act: nothing of its transaction is kept."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


def idempotent(request, run: Callable[[], Response]) -> Response:
    """Answer ``request`` with ``run()``, once per ``Idempotency-Key`` of its user.

    Without the header the request simply runs. A key already answered for the same
    method and path returns that answer again (header ``Idempotent-Replayed: true``); for
    another path it is refused (422 ``idempotency_key_reused``). Only answers that acted
    (2xx) are kept; a refusal leaves the key free, so the request may be sent again.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return run()
    if not _KEY.fullmatch(key):
        raise ApiError(
            status.HTTP_400_BAD_REQUEST, "idempotency_key_invalid",
            _("Idempotency-Key ต้องเป็นตัวอักษรภาษาอังกฤษ ตัวเลข หรือ - _ . : ไม่เกิน 100 ตัว (เช่น UUID)"),
        )  # fmt: skip
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=request.user, key=key, method=request.method, path=request.path, status=0
                    )
            except IntegrityError:
                return _replay(request, key)
            response = run()
            if not status.is_success(response.status_code):
                raise _Undo(response)
            record.status = response.status_code
            record.body = json.loads(JSONRenderer().render(response.data) or b"null")
            record.save(update_fields=["status", "body"])
            return response
    except _Undo as undo:
        return undo.response


def _replay(request, key: str) -> Response:
    record = IdempotencyRecord.objects.get(user=request.user, key=key)
    if (record.method, record.path) != (request.method, request.path):
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_ENTITY, "idempotency_key_reused",
            _("Idempotency-Key นี้ใช้กับรายการอื่นไปแล้ว กรุณาสร้างคีย์ใหม่สำหรับแต่ละรายการ"),
        )  # fmt: skip
    return Response(record.body, status=record.status, headers={REPLAYED: "true"})
