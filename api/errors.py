"""Every refusal of the API as ``{"code", "message", "fields"?}`` in the user's language.

``code`` is for programs (snake_case, stable); ``message`` for people, in the language
the request is served in (Thai unless the user chose English: core.middleware); ``fields``
names each input that was wrong with its messages. DRF's ``EXCEPTION_HANDLER``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

# DRF's own refusals: our code and our words for each (DRF's Thai catalogue is partial).
_DEFAULTS: dict[type[exceptions.APIException], tuple[str, Any]] = {
    exceptions.ParseError: ("parse_error", _("อ่านข้อมูลที่ส่งมาไม่ได้ กรุณาตรวจสอบรูปแบบข้อมูล")),
    exceptions.NotAuthenticated: ("not_authenticated", _("กรุณาเข้าสู่ระบบ")),
    exceptions.AuthenticationFailed: ("token_invalid", _("ข้อมูลการเข้าสู่ระบบไม่ถูกต้อง กรุณาเข้าสู่ระบบใหม่")),
    exceptions.PermissionDenied: ("forbidden", _("คุณไม่มีสิทธิ์ทำรายการนี้")),
    exceptions.NotFound: ("not_found", _("ไม่พบข้อมูลที่ขอ")),
    exceptions.MethodNotAllowed: ("method_not_allowed", _("ใช้วิธีนี้กับที่อยู่นี้ไม่ได้")),
    exceptions.NotAcceptable: ("not_acceptable", _("ส่งข้อมูลในรูปแบบที่ขอไม่ได้")),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", _("ไม่รับข้อมูลในรูปแบบนี้")),
    exceptions.Throttled: ("throttled", _("ส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่")),
    exceptions.ValidationError: ("invalid", _("ข้อมูลไม่ถูกต้อง กรุณาตรวจสอบแล้วส่งใหม่")),
}
_DEFAULT_CODES = {
    "parse_error", "not_authenticated", "authentication_failed", "permission_denied", "not_found",
    "method_not_allowed", "not_acceptable", "unsupported_media_type", "throttled", "invalid",
}  # fmt: skip


class ApiError(exceptions.APIException):
    """A refusal of ours: its status, code, message and anything else the body carries
    (``case`` with a conflict)."""

    def __init__(self, status_code: int, code: str, message, **extra):
        super().__init__(detail=str(message), code=code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.extra = extra


def conflict(message, *, case: Callable[[], dict], code: str = "conflict") -> ApiError:
    """The state machine refused: what the server now says of the case comes with it, read
    (``case()``) when the answer is written."""
    return ApiError(status.HTTP_409_CONFLICT, code, message, case=case)


def field_messages(detail) -> dict[str, list[str]]:
    """``{field: [message]}`` of a DRF ValidationError's detail (a dict, a list, nested)."""
    if isinstance(detail, dict):
        return {str(name): _flatten(value) for name, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def django_field_messages(error: DjangoValidationError) -> dict[str, list[str]]:
    """``{field: [message]}`` of a service's ValidationError (``__all__`` as non_field_errors)."""
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if name == "__all__" else name): list(messages)
                for name, messages in error.message_dict.items()}  # fmt: skip
    return {"non_field_errors": list(error.messages)}


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [message for inner in value.values() for message in _flatten(inner)]
    if isinstance(value, list | tuple):
        return [message for inner in value for message in _flatten(inner)]
    return [str(value)]


@csrf_exempt  # it changes nothing, whatever the method
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any address under /api/ that names nothing: the API's 404, not the site's page."""
    code, message = _DEFAULTS[exceptions.NotFound]
    return JsonResponse({"code": code, "message": str(message)}, status=status.HTTP_404_NOT_FOUND)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: the JSON body of every refusal; None (a 500) for anything else."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_field_messages(exc))
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))

    if isinstance(exc, ApiError):
        try:
            extra = {name: value() if callable(value) else value for name, value in exc.extra.items()}
        except Http404:
            # The case of a conflict is no longer the user's to see (transferred meanwhile).
            return exception_handler(exceptions.NotFound(), context)
        body = {"code": exc.code, "message": str(exc.message), **extra}
    else:
        code, message = _code_and_message(exc)
        body = {"code": code, "message": str(message)}
        if isinstance(exc, exceptions.ValidationError):
            body["fields"] = field_messages(exc.detail)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def _code_and_message(exc: exceptions.APIException) -> tuple[str, Any]:
    default_code, default_message = next(
        (value for kind, value in _DEFAULTS.items() if isinstance(exc, kind)), ("error", _("เกิดข้อผิดพลาด"))
    )
    codes = exc.get_codes()
    # A refusal raised with a code of its own (token_revoked, password_change_required)
    # keeps its code and its message; DRF's generic ones get ours.
    if isinstance(codes, str) and codes not in _DEFAULT_CODES:
        return codes, exc.detail
    return default_code, default_message
