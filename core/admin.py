from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import AuditedAdminMixin
from core.forms import BuddhistDateField, NationalIdField
from core.models import District, Province, Role, Subdistrict, User
from core.passwords import one_time_password
from core.thai import format_datetime
from permissions.roles import ROLE_SCOPES, ScopeLevel, roles_not_allowed_at
from permissions.roles import Role as RoleCode


class UserAccountForm(forms.ModelForm):
    """The registration form (แบบลงทะเบียนใช้งาน) as an administrator fills it in."""

    national_id = NationalIdField(officer=True)
    assigned_on = BuddhistDateField(label=_("วันที่ได้รับมอบหมายเป็นผู้มีสิทธิใช้งาน"), required=False)
    registered_on = BuddhistDateField(label=_("วันที่ลงทะเบียน"), initial=timezone.localdate)

    class Meta:
        model = User
        fields = [
            "registered_on", "registration", "replaces", "national_id", "title", "first_name",
            "last_name", "position", "level", "work_unit", "section", "scope_level", "province",
            "district", "roles", "office_phone", "mobile_phone", "email", "assigned_on",
            "is_active", "is_staff",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        level = data.get("scope_level")
        district, province = data.get("district"), data.get("province")
        if level == ScopeLevel.DISTRICT:
            if not district:
                self.add_error("district", _("ผู้ใช้ระดับอำเภอต้องระบุอำเภอ"))
            elif province and district.province_id != province.code:
                self.add_error("district", _("อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก"))
            else:
                data["province"] = district.province
        elif level == ScopeLevel.PROVINCE:
            if not province:
                self.add_error("province", _("ผู้ใช้ระดับจังหวัดต้องระบุจังหวัด"))
            data["district"] = None
        elif level == ScopeLevel.NATION:
            data["district"] = data["province"] = None
        roles = [r.code for r in data.get("roles") or []]
        if level and roles:
            wrong = roles_not_allowed_at(roles, level)
            if wrong:
                labels = ", ".join(str(RoleCode(r).label) for r in wrong)
                self.add_error(
                    "roles",
                    _("บทบาทต่อไปนี้ใช้กับระดับสิทธิที่เลือกไม่ได้: %(roles)s") % {"roles": labels},
                )
        if data.get("registration") == User.Registration.REPLACEMENT and not data.get("replaces"):
            self.add_error("replaces", _("กรุณาเลือกผู้ใช้งานเดิมที่ลงทะเบียนแทน"))
        return data


@admin.register(User)
class UserAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    form = UserAccountForm
    list_display = ["national_id", "full_name", "position", "scope_display", "is_active", "last_login_display"]
    list_filter = ["scope_level", "roles", "is_active", "province"]
    search_fields = ["national_id", "first_name", "last_name", "position"]
    autocomplete_fields = ["province", "district", "replaces"]
    filter_horizontal = ["roles"]
    readonly_fields = ["must_change_password", "last_login_display", "date_joined_display"]
    fieldsets = [
        (_("การลงทะเบียน"), {"fields": ["registered_on", "registration", "replaces"]}),
        (
            _("ข้อมูลผู้มีสิทธิใช้งาน"),
            {"fields": ["national_id", "title", "first_name", "last_name", "position", "level",
                        "work_unit", "section"]},
        ),  # fmt: skip
        (_("ระดับสิทธิการใช้งาน"), {"fields": ["scope_level", "province", "district", "roles"]}),
        (_("การติดต่อ"), {"fields": ["office_phone", "mobile_phone", "email", "assigned_on"]}),
        (_("สถานะบัญชี"), {"fields": ["is_active", "is_staff", "must_change_password", "last_login_display",
                                  "date_joined_display"]}),
    ]
    change_form_template = "admin/core/user/change_form.html"

    @admin.display(description=_("ชื่อ-สกุล"), ordering="first_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("ขอบเขต"))
    def scope_display(self, obj):
        return obj.scope_name

    @admin.display(description=_("เข้าใช้งานล่าสุด"), ordering="last_login")
    def last_login_display(self, obj):
        return format_datetime(obj.last_login) if obj.last_login else "—"

    @admin.display(description=_("วันที่สร้างบัญชี"))
    def date_joined_display(self, obj):
        return format_datetime(obj.date_joined)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("district__province", "province")

    def save_model(self, request, obj, form, change):
        if not change:
            # No shared first password: each account gets its own, shown once.
            request._one_time_password = one_time_password()
            obj.set_password(request._one_time_password)
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_one_time_password", None):
            return self._show_one_time_password(request, obj, created=True)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reset-password/",
                self.admin_site.admin_view(self.reset_password_view),
                name="core_user_reset_password",
            ),
            *super().get_urls(),
        ]

    def reset_password_view(self, request, object_id):
        user = get_object_or_404(User, pk=unquote(object_id))
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if request.method != "POST":
            context = {**self.admin_site.each_context(request), "officer": user, "opts": self.opts,
                       "title": _("ตั้งรหัสผ่านใหม่")}  # fmt: skip
            return TemplateResponse(request, "admin/core/user/reset_password_confirm.html", context)
        password = one_time_password()
        user.set_password(password)
        user.must_change_password = True
        user._change_reason = "password reset by administrator"
        user.save(update_fields=["password", "must_change_password"])
        axes_reset(username=user.national_id)
        request._one_time_password = password
        messages.info(request, _("ปลดล็อกการเข้าสู่ระบบของผู้ใช้นี้แล้ว"))
        return self._show_one_time_password(request, user, created=False)

    def _show_one_time_password(self, request, user, *, created):
        context = {
            **self.admin_site.each_context(request),
            "officer": user,
            "password": request._one_time_password,
            "created": created,
            "opts": self.opts,
            "title": _("รหัสผ่านครั้งแรก"),
            "change_url": reverse("admin:core_user_change", args=[user.pk]),
        }
        response = TemplateResponse(request, "admin/core/user/one_time_password.html", context)
        # The password is in this page only: no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "scopes"]

    @admin.display(description=_("ระดับที่ใช้ได้"))
    def scopes(self, obj):
        return ", ".join(str(ScopeLevel(s).label) for s in sorted(ROLE_SCOPES[obj.code]))

    def has_add_permission(self, request):
        return False  # roles are fixed in code (permissions/roles.py)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyGeographyAdmin(admin.ModelAdmin):
    """Geography comes from geothai (``manage.py load_geography``), not from typing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyGeographyAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(ReadOnlyGeographyAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Subdistrict)
class SubdistrictAdmin(ReadOnlyGeographyAdmin):
    list_display = ["code", "name_th", "name_en", "district", "postal_codes"]
    search_fields = ["code", "name_th", "name_en", "postal_codes"]
    list_select_related = ["district"]


admin.site.site_header = _("ผู้ดูแลระบบ ศูนย์ดำรงธรรม")
admin.site.site_title = _("ผู้ดูแลระบบ ศูนย์ดำรงธรรม")
admin.site.index_title = _("การจัดการระบบ")
