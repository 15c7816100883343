from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import LoginForm, PasswordChangeForm, ProfileForm, areas, is_area_code
from core.home import sections_for
from core.models import Subdistrict


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว"))
        return response


@login_required
def home(request):
    """The start page: the sections the apps registered (core.home), for this user."""
    return render(request, "core/home.html", {"officer": request.user, "sections": sections_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("บันทึกข้อมูลส่วนตัวเรียบร้อยแล้ว"))
        return redirect("profile")
    return render(request, "core/profile.html", {"form": form, "officer": request.user})


@login_required
def subdistricts(request):
    """The subdistricts of one district, for the incident-place select on forms."""
    district = request.GET.get("district", "")
    # A district code is four digits; anything else (a NUL byte is one the
    # database itself refuses) is a bad request, not an empty district.
    if district and not is_area_code(district, 4):
        return JsonResponse({"error": str(_("รหัสอำเภอไม่ถูกต้อง")), "subdistricts": []}, status=400)
    rows = Subdistrict.objects.filter(district_id=district).values_list("code", "name_th")
    return JsonResponse({"subdistricts": [{"code": code, "name": name} for code, name in rows]})


@login_required
def districts(request):
    """The districts of one province, for the province → district picker (core.forms.DistrictField)."""
    province = request.GET.get("province", "")
    if province and not is_area_code(province, 2):
        return JsonResponse({"error": str(_("รหัสจังหวัดไม่ถูกต้อง")), "districts": []}, status=400)
    rows = areas().districts.get(province, ())
    return JsonResponse({"districts": [{"code": code, "name": name} for code, name in rows]})


@require_GET
def language(request, code: str):
    """Switch the language by a link, for officers and citizens alike: no form, so a page
    without one sets no CSRF cookie; the language cookie is set only when asked for."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
        secure=request.is_secure(), httponly=True,
    )  # fmt: skip
    return response
