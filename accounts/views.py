"""The pages of registration, certification, activation and oversight."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import rules, selectors, services
from accounts.form_pdf import registration_pdf
from accounts.forms import RegistrationForm
from accounts.models import Activation, Registration
from core.forms import NationalIdField
from core.limits import Limit, client_key
from core.models import Province

# Wrong activation codes an address may type in a quarter of an hour; codes carry about 79 bits.
WRONG_CODES = Limit("activation-miss-address", 10, 15 * 60)


def _registration(request, pk) -> Registration:
    registration = selectors.get_for_user(request.user, pk)
    if registration is None:
        raise Http404
    return registration


@login_required
def registrations(request):
    """The forms waiting for the user's certification, and the forms of his center (or his scope)."""
    user = request.user
    if not (rules.can_register(user) or rules.can_oversee(user)):
        waiting = selectors.waiting_for(user)
        if not waiting:
            raise PermissionDenied
    state = request.GET.get("state", "")
    rows = selectors.visible_to(user).order_by("-submitted_at", "-pk")
    if state in Registration.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/registrations.html",
        {"waiting": selectors.waiting_for(user), "page": page, "state": state, "states": Registration.State.choices,
         "may_register": rules.can_register(user)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def new_registration(request):
    if not rules.can_register(request.user):
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, filler=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.submit(actor=request.user, registration=form.save(commit=False))
        except services.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            if registration.state == Registration.State.CERTIFIED:
                messages.success(request, _("รับรองแบบลงทะเบียนของตนเองเรียบร้อยแล้ว"))
            else:
                messages.success(request, _("ส่งแบบลงทะเบียนให้ผู้รับรองแล้ว"))
            return redirect("accounts:registration_detail", pk=registration.pk)
    return render(request, "accounts/registration_form.html", {"form": form, "registration": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit_registration(request, pk):
    registration = _registration(request, pk)
    if not rules.can_edit(request.user, registration):
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, instance=registration, filler=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit(actor=request.user, registration=form.save(commit=False))
        except services.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("ส่งแบบลงทะเบียนที่แก้ไขแล้วให้ผู้รับรองอีกครั้ง"))
            return redirect("accounts:registration_detail", pk=registration.pk)
    return render(request, "accounts/registration_form.html", {"form": form, "registration": registration})


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("เหตุผลที่ส่งกลับ"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


def _pending_activation(registration: Registration) -> bool:
    account = registration.account
    return account is not None and (not account.is_active or not account.has_usable_password())


@login_required
def registration_detail(request, pk):
    registration = _registration(request, pk)
    user = request.user
    activations = list(Activation.objects.filter(registration=registration).order_by("-created_at")[:5])
    return render(
        request, "accounts/registration_detail.html",
        {
            "registration": registration, "may_certify": rules.can_certify(user, registration),
            "certifies_self": rules.certifies_self(user, registration), "may_edit": rules.can_edit(user, registration),
            "return_form": ReturnForm(), "certifiers": rules.certifiers(registration) if registration.is_open else [],
            "pending_activation": _pending_activation(registration), "activations": activations,
            "may_print_slip": _may_print_slip(user, registration),
        },
    )  # fmt: skip


@login_required
@require_POST
def certify(request, pk):
    registration = _registration(request, pk)
    if not rules.can_certify(request.user, registration):
        raise PermissionDenied
    try:
        registration = services.certify(actor=request.user, registration=registration)
    except ValidationError as error:
        # The account the form would make or move does not hold together (a national ID
        # taken meanwhile by an account made in the admin, say): nothing was saved.
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:registration_detail", pk=registration.pk)
    if _pending_activation(registration):
        if registration.email:
            messages.success(request, _("รับรองแล้ว ระบบส่งลิงก์เปิดใช้งานบัญชีไปที่ %(email)s") % {"email": registration.email})
        else:
            messages.success(request, _("รับรองแล้ว กรุณาพิมพ์ใบรหัสเปิดใช้งานมอบให้เจ้าหน้าที่"))
    else:
        messages.success(request, _("รับรองแล้ว บัญชีของเจ้าหน้าที่ย้ายมาที่ศูนย์นี้แล้ว"))
    return redirect("accounts:registration_detail", pk=registration.pk)


@login_required
@require_POST
def return_registration(request, pk):
    registration = _registration(request, pk)
    if not rules.can_certify(request.user, registration):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_registration(
                actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
            )
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("ส่งแบบลงทะเบียนกลับให้ผู้กรอกแก้ไขแล้ว"))
    else:
        messages.error(request, _("กรุณาระบุเหตุผลที่ส่งกลับ"))
    return redirect("accounts:registration_detail", pk=registration.pk)


@login_required
@require_POST
def withdraw(request, pk):
    registration = _registration(request, pk)
    if not rules.can_edit(request.user, registration):
        raise PermissionDenied
    services.withdraw(actor=request.user, registration=registration)
    messages.success(request, _("ยกเลิกแบบลงทะเบียนแล้ว"))
    return redirect("accounts:registrations")


@login_required
def form_pdf(request, pk):
    """The certified form as kept at certification; before that, a draft drawn now."""
    registration = _registration(request, pk)
    name = f"registration-{registration.pk}.pdf"
    if registration.state == Registration.State.CERTIFIED and registration.form_pdf:
        return FileResponse(registration.form_pdf.open("rb"), content_type="application/pdf", filename=name)
    response = HttpResponse(registration_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{name}"'
    return response


def _may_print_slip(user, registration: Registration) -> bool:
    """Whoever certified the form, filled it, or registers for its center prints the slip."""
    if registration.state != Registration.State.CERTIFIED or not _pending_activation(registration):
        return False
    return user.pk in (registration.decided_by_id, registration.submitted_by_id) or rules.can_register_for(
        user, registration.scope_level, registration.province_id, registration.district_id
    )


@login_required
@require_POST
@never_cache
def slip(request, pk):
    """Print a new activation slip: a new code, shown on this page only (no cache keeps it)."""
    registration = _registration(request, pk)
    if not _may_print_slip(request.user, registration):
        raise PermissionDenied
    code = services.issue_activation(
        registration.account, channel=Activation.Channel.SLIP, actor=request.user, registration=registration
    )
    activation = Activation.objects.filter(registration=registration).order_by("-created_at", "-pk").first()
    response = render(
        request, "accounts/slip.html",
        {"registration": registration, "code": services.format_code(code), "activation": activation,
         "url": request.build_absolute_uri("/accounts/activate/")},
    )  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


# --- Activation (no sign-in: the officer has no password yet) ----------------------------------


class SlipForm(forms.Form):
    national_id = NationalIdField(officer=True)
    code = forms.CharField(
        label=gettext_lazy("รหัสเปิดใช้งาน"), max_length=40, help_text=gettext_lazy("16 ตัวอักษร ตามใบรหัสเปิดใช้งาน"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "characters"}),
    )  # fmt: skip


def _refused(request) -> HttpResponse | None:
    if WRONG_CODES.used_up(client_key(request)):
        response = render(request, "accounts/activate.html", {"refused": True}, status=429)
        response["Retry-After"] = str(WRONG_CODES.seconds_left())
        return response
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request):
    """The slip's way in: the national ID and the code, then a password of one's own."""
    if (refused := _refused(request)) is not None:
        return refused
    form = SlipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activation = services.find_activation(form.cleaned_data["code"], form.cleaned_data["national_id"])
        if activation is not None:
            return _set_password(request, activation, code=form.cleaned_data["code"], first=True)
        WRONG_CODES.count(client_key(request))
        form.add_error("code", _("รหัสเปิดใช้งานไม่ถูกต้อง ใช้ไปแล้ว หรือหมดอายุ กรุณาขอใบรหัสใหม่จากศูนย์ของคุณ"))
    return render(request, "accounts/activate.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def activate_link(request, code: str):
    """The e-mail's way in: the link carries the code."""
    if (refused := _refused(request)) is not None:
        return refused
    activation = services.find_activation(code)
    if activation is None:
        WRONG_CODES.count(client_key(request))
        return render(request, "accounts/activate.html", {"expired": True, "form": SlipForm()}, status=404)
    return _set_password(request, activation, code=code, first=request.method == "GET")


def _set_password(request, activation: Activation, *, code: str, first: bool):
    account = activation.user
    form = auth_forms.SetPasswordForm(account, None if first or "new_password1" not in request.POST else request.POST)
    if form.is_bound and form.is_valid():
        services.activate(activation, password=form.cleaned_data["new_password1"], request=request)
        messages.success(request, _("เปิดใช้งานบัญชีเรียบร้อยแล้ว กรุณาเข้าสู่ระบบด้วยเลขประจำตัวประชาชนและรหัสผ่านที่ตั้งไว้"))
        return redirect("login")
    response = render(
        request,
        "accounts/set_password.html",
        {"form": form, "account": account, "code": code, "activation": activation},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Oversight ------------------------------------------------------------------------------------


@login_required
def oversight(request):
    user = request.user
    if not rules.can_oversee(user):
        raise PermissionDenied
    province = None
    if rules.is_central_administrator(user) and (code := request.GET.get("province", "")):
        province = Province.objects.filter(pk=code[:2]).first() if code.isdigit() else None
        if province is None:
            raise Http404
    page = selectors.oversight(user, province)
    provinces = Province.objects.order_by("name_th") if rules.is_central_administrator(user) else []
    return render(request, "accounts/oversight.html", {"page": page, "provinces": provinces})
