"""Complaining online: the form, its receipt, the e-mailed confirmation, and the
lists its pickers read. No account; every page is the citizen's own."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cases.codes import format_tracking_code
from citizens.models import CenterContact
from citizens.online import limits, pow, services
from citizens.online.forms import ACCEPT, HONEYPOT, MAX_FILES, OnlineComplaintForm, megabytes
from core.context import client_ip
from core.forms import add_service_errors, areas, is_area_code
from core.limits import client_key
from core.models import Subdistrict

logger = logging.getLogger(__name__)

# The error summary's names for fields whose label is a sentence.
SUMMARY_LABELS = {"consent": gettext_lazy("ความยินยอม")}


# No CSRF cookie: the site sets no cookie before a citizen asks for something
# (tests/public/test_public_site.py), and this page is in its menu. The form carries
# its own proof of origin instead, the challenge this site signed (``pow.issued_here``),
# which another site cannot read from the page. Forging a post from a visitor's browser
# would gain nothing a direct post does not: the form acts for nobody (no account, no
# session read), and a complaint is filed only with the proof of work or the e-mail confirmation.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def complain(request):
    if limits.PAGES.used_up(client_key(request)):
        return _too_many(request, limits.PAGES)
    limits.PAGES.count(client_key(request))
    if request.method == "GET":
        return _form_page(request, OnlineComplaintForm())
    if request.POST.get(HONEYPOT):
        # A box nobody can see was filled: a script. It is told nothing it could learn from.
        logger.info("online: honeypot filled from %s; nothing kept", client_ip(request))
        return render(request, "public/online/not_received.html")
    if request.POST.get("refresh_areas"):
        # Without script: the province or district chosen, the next list is shown; nothing is checked yet.
        return _form_page(request, OnlineComplaintForm(initial=_typed(request.POST)))
    if not pow.issued_here(request.POST.get("proof_challenge", "")):
        form = OnlineComplaintForm(request.POST)  # its files are not even looked at
        return _form_page(request, form, refusal=_("ตรวจสอบแบบฟอร์มไม่ผ่าน กรุณากดส่งเรื่องอีกครั้ง"), status=403)
    if (earlier := services.submission_by_key(request.POST.get("submission_key", ""))) is not None:
        return redirect(services.receipt_url(earlier))  # sent twice: the first one stands

    if limits.SUBMISSIONS.used_up(client_key(request)):
        refusal = _(
            "ท่านส่งเรื่องจากเครือข่ายนี้ครบ %(count)d เรื่องในหนึ่งชั่วโมงแล้ว ระบบจึงยังไม่รับเรื่องนี้ "
            "ข้อมูลที่กรอกไว้ยังอยู่ กรุณาส่งอีกครั้งในภายหลัง หรือโทรสายด่วน 1567"
        ) % {"count": settings.ONLINE_SUBMISSIONS_PER_HOUR}
        return _form_page(request, OnlineComplaintForm(request.POST), refusal=refusal, status=429)

    counter = request.POST.get("proof_counter", "").strip()
    form = OnlineComplaintForm(request.POST, request.FILES, email_required=not counter)
    refusal = nonce = None
    if counter:
        try:
            nonce = pow.check(request.POST.get("proof_challenge", ""), counter)
        except pow.ProofRefused as refused:
            refusal = refused.message
    if refusal is None and form.is_valid():
        try:
            if nonce is not None:
                pow.spend(nonce)
            submission = services.submit(
                data=form.submission_data(), files=form.cleaned_data["files"], proof_of_work=nonce is not None,
                client_address=client_ip(request), language=get_language(),
            )  # fmt: skip
        except pow.ProofRefused as refused:
            refusal = refused.message
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            limits.SUBMISSIONS.count(client_key(request))
            return redirect(services.receipt_url(submission))
    return _form_page(request, form, refusal=refusal, status=400)


def _form_page(request, form, *, refusal: str | None = None, status: int = 200):
    files_lost = request.method == "POST" and bool(request.FILES)
    errors = []
    if form.is_bound:
        # In the order of the page, what concerns no one field first; each links to its field.
        for name in [NON_FIELD_ERRORS, *form.fields]:
            target = "online-errors" if name == NON_FIELD_ERRORS else form[name].auto_id
            if name == "incident_district" and not form.data.get("incident_district_province"):
                target += "_province"
            label = "" if name == NON_FIELD_ERRORS else SUMMARY_LABELS.get(name, form.fields[name].label)
            errors += [(label, message, target) for message in form.errors.get(name, [])]
    context = {
        "form": form,
        "refusal": refusal,
        "errors": errors,
        "files_lost": files_lost,
        "challenge": pow.new_challenge(),
        "pow_bits": settings.ONLINE_POW_BITS,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "other_category_ids": [c.pk for c in form.fields["main_category"].queryset if c.is_other],
        "messages_for_script": _script_messages(),
        **_limits_context(),
    }
    return render(request, "public/online/form.html", context, status=status)


def _typed(post) -> dict:
    """What the citizen typed, as a new form's initial values (the district dropped if the province changed)."""
    typed = {name: value for name, value in post.items() if name != "refresh_areas"}
    province, district = typed.pop("incident_district_province", ""), typed.get("incident_district", "")
    if district and areas().province_of.get(district) != province:
        district = ""
        typed.pop("incident_subdistrict", None)
    typed["incident_district"] = [province, district]
    return typed


def _script_messages() -> dict:
    """The words the form's scripts say, in the page's language ({name} and the like filled in there)."""
    return {
        "checking": _("กำลังตรวจสอบความปลอดภัยก่อนส่งเรื่อง อาจใช้เวลาสักครู่…"),
        "sending": _("กำลังส่งเรื่อง…"),
        "locating": _("กำลังหาตำแหน่งปัจจุบัน…"),
        "located": _("ได้ตำแหน่งแล้ว (คลาดเคลื่อนประมาณ {accuracy} เมตร)"),
        "locationDenied": _("ไม่ได้รับอนุญาตให้ใช้ตำแหน่ง ท่านเว้นว่างไว้ได้"),
        "locationFailed": _("หาตำแหน่งไม่ได้ ท่านเว้นว่างไว้ได้"),
        "tooManyFiles": _("แนบได้ไม่เกิน {count} ไฟล์ กรุณาเลือกใหม่"),
        "fileTooLarge": _("ไฟล์ “{name}” ใหญ่เกิน {limit} กรุณาเลือกไฟล์อื่น"),
        "totalTooLarge": _("ไฟล์ทั้งหมดรวมกันใหญ่เกิน {limit} กรุณาเลือกให้น้อยลง"),
        "chosen": _("เลือกแล้ว {count} ไฟล์ รวม {size}"),
    }


def _limits_context() -> dict:
    return {
        "accept": ACCEPT,
        "max_files": MAX_FILES,
        "file_limit": megabytes(settings.UPLOAD_MAX_BYTES),
        "file_limit_bytes": settings.UPLOAD_MAX_BYTES,
        "total_limit": megabytes(settings.ONLINE_UPLOAD_TOTAL_BYTES),
        "total_limit_bytes": settings.ONLINE_UPLOAD_TOTAL_BYTES,
    }


def _too_many(request, limit: limits.Limit):
    response = render(request, "public/online/too_many.html", {"seconds": limit.seconds_left()}, status=429)
    response["Retry-After"] = str(limit.seconds_left())
    return response


@never_cache
@require_GET
def done(request, token: str):
    """The receipt: the tracking code of a complaint filed, or what to do to confirm one kept."""
    submission = services.receipt_submission(token)
    if submission is None:
        return render(request, "public/online/expired.html", status=404)
    context = {"submission": submission}
    if submission.complaint is not None:
        context.update(_filed_context(submission.complaint))
    else:
        context.update(email=_masked(submission.email), deadline=services.confirmation_deadline(submission))
    return render(request, "public/online/done.html", context)


@csrf_exempt  # the secret in the address is what another site cannot know; and no cookie, as above
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The link e-mailed to a citizen without script: a page that files the complaint when they press its button.

    Opening the link does not file it: mail scanners open links too."""
    if limits.PAGES.used_up(client_key(request)):
        return _too_many(request, limits.PAGES)
    limits.PAGES.count(client_key(request))
    try:
        submission = services.pending_confirmation(token)
    except services.SubmissionGone:
        return render(request, "public/online/expired.html", {"confirming": True}, status=404)
    if request.method == "POST" and submission.confirmed_at is None:
        try:
            confirmed = services.confirm(token)
        except services.SubmissionGone:
            return render(request, "public/online/expired.html", {"confirming": True}, status=404)
        except ValidationError as error:
            logger.warning("online: submission %s could not be filed: %s", submission.pk, error)
            return render(request, "public/online/not_filed.html", status=409)
        return redirect(services.receipt_url(confirmed.submission))
    context = {"submission": submission, "deadline": services.confirmation_deadline(submission)}
    if submission.complaint is not None:
        context.update(_filed_context(submission.complaint))
    return render(request, "public/online/confirm.html", context)


def _filed_context(complaint) -> dict:
    contact = CenterContact.objects.filter(district_id=complaint.district_id).first()
    if contact is None:
        contact = CenterContact.objects.filter(province_id=complaint.province_id, district__isnull=True).first()
    return {
        "complaint": complaint,
        "code": format_tracking_code(complaint.tracking_code),
        "contact": contact,
    }


def _masked(email: str) -> str:
    """``somchai@example.com`` as ``so****@example.com``: enough to recognise, not to read out."""
    name, at, domain = email.partition("@")
    return f"{name[:2]}{'*' * max(len(name) - 2, 2)}{at}{domain}" if at else ""


@never_cache
@require_GET
def challenge(request):
    """A fresh proof-of-work challenge, for a form open longer than the last one lasts."""
    if limits.PAGES.used_up(client_key(request)):
        return JsonResponse({"error": str(_("มีการใช้งานถี่เกินไป กรุณารอสักครู่"))}, status=429)
    limits.PAGES.count(client_key(request))
    return JsonResponse({"challenge": pow.new_challenge(), "bits": settings.ONLINE_POW_BITS})


# --- The area pickers' lists (the officers' /geo/ lists need a sign-in) -----------------------


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def districts(request):
    province = request.GET.get("province", "")
    if province and not is_area_code(province, 2):
        return JsonResponse({"error": str(_("รหัสจังหวัดไม่ถูกต้อง")), "districts": []}, status=400)
    rows = areas().districts.get(province, ())
    return JsonResponse({"districts": [{"code": code, "name": name} for code, name in rows]})


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def subdistricts(request):
    district = request.GET.get("district", "")
    if district and not is_area_code(district, 4):
        return JsonResponse({"error": str(_("รหัสอำเภอไม่ถูกต้อง")), "subdistricts": []}, status=400)
    rows = Subdistrict.objects.filter(district_id=district).values_list("code", "name_th")
    return JsonResponse({"subdistricts": [{"code": code, "name": name} for code, name in rows]})
