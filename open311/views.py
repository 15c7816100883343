"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

Every resource in JSON and XML (``.json``/``.xml``), UTF-8, datetimes in ISO 8601 with
the offset (+07:00). Thai unless the app asks for English (``?locale=en`` or
``Accept-Language``). Errors are the spec's list of ``{code, description}``, the code
being the HTTP status. ``jurisdiction_id`` is taken and ignored: one jurisdiction here.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.context import client_ip
from core.limits import Limit, client_key
from open311 import limits, render, selectors, services
from open311.forms import RequestForm

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-07T00:00:00+07:00"  # when these resources last changed shape
FORMATS = ["text/xml", "application/json"]
EARLIEST, LATEST = dt.datetime(1900, 1, 1), dt.datetime(9000, 1, 1)  # noqa: DTZ001 (compared without their zone)

# The intake's field names as the app sent them.
SENT_AS = {
    "category_other_text": "attribute[other_text]",
    "subject": "attribute[subject]",
    "incident_subdistrict": "attribute[subdistrict]",
    "complainants": "first_name",
    "latitude": "lat",
}


def language_of(request) -> str:
    """``locale`` if it names a language of the site, else the best of Accept-Language, else Thai."""
    supported = {code for code, _name in settings.LANGUAGES}
    asked = request.GET.get("locale", "") or (request.POST.get("locale", "") if request.method == "POST" else "")
    if asked[:2].lower() in supported:
        return asked[:2].lower()
    ranked = []
    for part in request.headers.get("Accept-Language", "").split(","):
        tag, _sep, quality = part.strip().partition(";q=")
        try:
            ranked.append((float(quality) if quality else 1.0, tag.strip()[:2].lower()))
        except ValueError:
            continue
    for _quality, tag in sorted(ranked, key=lambda pair: -pair[0]):
        if tag in supported:
            return tag
    return settings.LANGUAGE_CODE


def resource(*methods: str):
    """A GeoReport v2 resource: answers ``methods`` (else the spec's 405), in the app's
    language, readable from any web page when it is a GET (no cookie is read here)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, format: str, **kwargs):
            if request.method not in methods:
                response = render.errors(format, 405, [_("ไม่รองรับเมธอด %(method)s") % {"method": request.method}])
                response["Allow"] = ", ".join(methods)
                return response
            language = language_of(request)
            with translation.override(language):
                response = view(request, *args, fmt=format, language=language, **kwargs)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language",))
            if request.method in ("GET", "HEAD"):
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapper

    return decorate


def _too_many(fmt: str, limit: Limit):
    response = render.errors(
        fmt, 429, [_("ส่งคำขอถี่เกินไป กรุณารอ %(seconds)d วินาทีแล้วลองใหม่") % {"seconds": limit.seconds_left()}]
    )
    response["Retry-After"] = str(limit.seconds_left())
    return response


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        message if name == "__all__" else f"{SENT_AS.get(name, name)}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def _private(response):
    """A response that names tracking codes: kept by no shared cache."""
    response["Cache-Control"] = "private, no-store"
    return response


# --- Discovery and services ------------------------------------------------------------------


@resource("GET", "HEAD")
def discovery(request, *, fmt: str, language: str):
    services_url = request.build_absolute_uri(reverse("open311:services", kwargs={"format": "json"}))
    data = {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": services_url.removesuffix("/services.json"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }
    return render.respond(fmt, "discovery", data)


@resource("GET", "HEAD")
def service_list(request, *, fmt: str, language: str):
    return render.respond(fmt, "services", [selectors.service_row(row, language) for row in selectors.services()])


@resource("GET", "HEAD")
def service_definition(request, service_code: str, *, fmt: str, language: str):
    category = selectors.service(service_code)
    if category is None:
        return render.errors(fmt, 404, [_("ไม่พบ service_code %(code)s") % {"code": service_code[:20]}])
    return render.respond(fmt, "service_definition", selectors.definition(category))


# --- Requests ---------------------------------------------------------------------------------


@csrf_exempt  # an app's api_key, never a cookie, says who posts
@resource("GET", "HEAD", "POST")
def service_requests(request, *, fmt: str, language: str):
    if request.method == "POST":
        return _file(request, fmt, language)
    return _private(_list(request, fmt, language))


def _file(request, fmt: str, language: str):
    address = client_key(request)
    if limits.POSTS_BY_ADDRESS.used_up(address):
        return _too_many(fmt, limits.POSTS_BY_ADDRESS)
    limits.POSTS_BY_ADDRESS.count(address)
    # The api_key in the body, as the spec sends it, or in the query string, as some clients do.
    client = services.client_for_key(request.POST.get("api_key") or request.GET.get("api_key", ""))
    if client is None:
        return render.errors(fmt, 403, [_("api_key ไม่ถูกต้องหรือถูกระงับการใช้งาน")])
    if limits.POSTS_BY_CLIENT.used_up(str(client.pk)):
        return _too_many(fmt, limits.POSTS_BY_CLIENT)
    limits.POSTS_BY_CLIENT.count(str(client.pk))
    form = RequestForm(request.POST)
    if not form.is_valid():
        return render.errors(fmt, 400, _messages(ValidationError(form.errors.as_data())))
    category = selectors.service(form.cleaned_data["service_code"])
    if category is None:
        return render.errors(fmt, 404, [_("ไม่พบ service_code %(code)s") % {"code": form.cleaned_data["service_code"]}])
    try:
        case = services.file_request(
            client=client,
            data=form.request_data(category),
            idempotency_key=request.headers.get("Idempotency-Key", "")[:200],
            client_address=client_ip(request),
        )
    except ValidationError as error:
        return render.errors(fmt, 400, _messages(error))
    notice = _("ศูนย์ดำรงธรรมรับเรื่องแล้ว ผู้ร้องติดตามความคืบหน้าได้ที่ %(url)s") % {"url": selectors.tracking_url(case)}
    body = [{"service_request_id": case.tracking_code, "service_notice": notice, "account_id": None}]
    return _private(render.respond(fmt, "service_requests", body, status=201))


def _list(request, fmt: str, language: str):
    ids = [code for code in request.GET.get("service_request_id", "").split(",") if code.strip()]
    if ids:
        if len(ids) > selectors.MAX_IDS:
            return render.errors(fmt, 400, [_("ขอได้ครั้งละไม่เกิน %(count)d รหัส") % {"count": selectors.MAX_IDS}])
        address = client_key(request)
        if limits.MISSES_BY_ADDRESS.used_up(address):
            return _too_many(fmt, limits.MISSES_BY_ADDRESS)
        found, missing = selectors.by_codes(ids)
        for _missing in range(missing):
            limits.MISSES_BY_ADDRESS.count(address)
        return render.respond(fmt, "service_requests", [selectors.public_request(case, language) for case in found])
    key = request.GET.get("api_key", "")
    client = services.client_for_key(key)
    if client is None:
        if key:
            return render.errors(fmt, 403, [_("api_key ไม่ถูกต้องหรือถูกระงับการใช้งาน")])
        return render.errors(
            fmt, 400, [_("กรุณาระบุ service_request_id (รหัสติดตามเรื่อง คั่นด้วยจุลภาค) หรือ api_key ของแอปพลิเคชันที่ส่งเรื่อง")]
        )
    try:
        query = _query(request.GET)
    except ValidationError as error:
        return render.errors(fmt, 400, _messages(error))
    cases = selectors.filed_by(client, query)
    return render.respond(fmt, "service_requests", [selectors.public_request(case, language) for case in cases])


def _moment(params, name: str) -> dt.datetime | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [_("รูปแบบวันเวลาไม่ถูกต้อง ใช้ ISO 8601 เช่น 2026-01-31T00:00:00+07:00")]}) from None
    # Far enough from year 1 and 9999 that the 90 days and the offset never run off the calendar.
    if not EARLIEST <= moment.replace(tzinfo=None) <= LATEST:
        raise ValidationError({name: [_("วันเวลาอยู่นอกช่วงที่ค้นได้")]})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _query(params) -> selectors.Query:
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    span = dt.timedelta(days=selectors.MAX_DAYS)
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - span
    elif end is None:
        end = start + span
    if end < start:
        raise ValidationError({"end_date": [_("end_date ต้องไม่ก่อน start_date")]})
    if end - start > span:
        raise ValidationError({"end_date": [_("ช่วงวันที่ต้องไม่เกิน %(days)d วัน") % {"days": selectors.MAX_DAYS}]})
    codes = [code.strip() for code in params.get("service_code", "").split(",") if code.strip()]
    if any(not selectors.is_service_code(code) for code in codes):
        raise ValidationError({"service_code": [_("service_code ไม่ถูกต้อง")]})
    statuses = [status.strip() for status in params.get("status", "").split(",") if status.strip()]
    if any(status not in ("open", "closed") for status in statuses):
        raise ValidationError({"status": [_("status ต้องเป็น open หรือ closed")]})
    return selectors.Query(start=start, end=end, service_codes=tuple(map(int, codes)), statuses=tuple(statuses))


@resource("GET", "HEAD")
def service_request(request, service_request_id: str, *, fmt: str, language: str):
    address = client_key(request)
    if limits.MISSES_BY_ADDRESS.used_up(address):
        return _too_many(fmt, limits.MISSES_BY_ADDRESS)
    case = selectors.by_code(service_request_id)
    if case is None:
        limits.MISSES_BY_ADDRESS.count(address)
        return render.errors(fmt, 404, [_("ไม่พบเรื่องตาม service_request_id นี้")])
    return _private(render.respond(fmt, "service_requests", [selectors.public_request(case, language)]))


@resource("GET", "HEAD")
def token(request, token: str, *, fmt: str, language: str):
    # Every service here is "realtime": a POST answers with the service_request_id at once
    # and issues no token, so no token is ever found.
    return render.errors(fmt, 404, [_("ไม่พบ token นี้ (ระบบนี้ตอบ service_request_id ทันทีที่รับเรื่อง ไม่ออก token)")])
