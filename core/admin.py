from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core import outbox
from core.forms import BuddhistDateField, NationalIdField
from core.models import District, OutboxMessage, Province, Role, Subdistrict, User
from core.passwords import one_time_password
from core.roles import ROLE_SCOPES, ScopeLevel, roles_not_allowed_at
from core.roles import Role as RoleCode
from core.thai import format_datetime


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


class BoundedChangeList(ChangeList):
    """Django's change list, with a date-hierarchy year past the calendar (?created__year=99999999999,
    or the day after 31/12/9999) read as a wrong filter, which the admin answers with its own
    "?e=1" page, instead of an OverflowError and a 500."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class BoundedDateHierarchyMixin:
    """For every admin with a ``date_hierarchy``."""

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList


# django-axes registers its logs' admins, each with a date hierarchy, before ours load.
for _model, _admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin.__name__, (BoundedDateHierarchyMixin, _admin), {}))


class NulSafeSearchMixin:
    """A search term with a NUL, or longer than any name or code (``MAX_SEARCH``), finds
    nothing. PostgreSQL refuses NUL in a query, SQLite a LIKE pattern over 50,000 bytes;
    the change list turns those errors into its "?e=1" page, but the autocomplete view of
    a select (``autocomplete_fields``) let them through as a 500."""

    MAX_SEARCH = 200

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term or len(search_term) > self.MAX_SEARCH:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin pages, with a malformed id in the URL read as no such object (404).

    simple_history passes the id straight to a query: a NUL or letters for a
    numeric id raised ValueError there, a 500.
    """

    @staticmethod
    def _usable_id(field, value: str) -> None:
        try:
            field.to_python(value)
        except (ValidationError, ValueError, TypeError):
            raise Http404 from None
        if "\x00" in value:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._usable_id(self.model._meta.pk, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._usable_id(self.model._meta.pk, unquote(object_id))
        self._usable_id(self.model.history.model._meta.pk, unquote(version_id))
        return super().history_form_view(request, object_id, version_id, extra_context)


# Registered by audit.admin, with the audit log's writer added: core is below the log.
class UserAdmin(NulSafeSearchMixin, HistoryAdmin):
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
            {
                "fields": [
                    "national_id",
                    "title",
                    "first_name",
                    "last_name",
                    "position",
                    "level",
                    "work_unit",
                    "section",
                ]
            },
        ),  # fmt: skip
        (_("ระดับสิทธิการใช้งาน"), {"fields": ["scope_level", "province", "district", "roles"]}),
        (_("การติดต่อ"), {"fields": ["office_phone", "mobile_phone", "email", "assigned_on"]}),
        (
            _("สถานะบัญชี"),
            {"fields": ["is_active", "is_staff", "must_change_password", "last_login_display", "date_joined_display"]},
        ),
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
        # The admin's get_object reads a malformed id (a NUL, letters) as no user: a 404, not a 500.
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
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
        return False  # roles are fixed in code (core/roles.py)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """An admin that shows and never adds, changes or deletes (its actions aside)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyGeographyAdmin(ReadOnlyAdminMixin, NulSafeSearchMixin, admin.ModelAdmin):
    """Geography comes from geothai (``manage.py load_geography``), not from typing."""


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


class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The side effects waiting for, sent to, or given up on by the broker (core/outbox.py).

    Read-only but for one action: a dead message, once its cause is fixed, is
    put back in the queue ("replay"); its consumer is idempotent, so a replay
    of something that did run after all changes nothing. Registered by
    audit.admin, which records each replay in the audit log (``replayed``).
    """

    list_display = [
        "id",
        "task_name",
        "state",
        "attempts",
        "created_display",
        "available_display",
        "sent_display",
        "last_error_short",
    ]
    list_filter = ["state", "task_name"]
    search_fields = ["key", "task_name"]
    readonly_fields = [
        "task_name",
        "kwargs",
        "key",
        "state",
        "attempts",
        "available_at",
        "created_at",
        "sent_at",
        "last_error",
    ]
    actions = ["replay"]

    @admin.display(description=_("สร้างเมื่อ"), ordering="created_at")
    def created_display(self, obj):
        return format_datetime(obj.created_at)

    @admin.display(description=_("ส่งได้ตั้งแต่"), ordering="available_at")
    def available_display(self, obj):
        return format_datetime(obj.available_at) if obj.state == OutboxMessage.State.PENDING else "—"

    @admin.display(description=_("ส่งเมื่อ"), ordering="sent_at")
    def sent_display(self, obj):
        return format_datetime(obj.sent_at) if obj.sent_at else "—"

    @admin.display(description=_("ข้อผิดพลาดล่าสุด"))
    def last_error_short(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("ส่งงานที่ส่งไม่สำเร็จอีกครั้ง"))
    def replay(self, request, queryset):
        ids = sorted(queryset.filter(state=OutboxMessage.State.DEAD).values_list("pk", flat=True))
        count = outbox.replay(OutboxMessage.objects.filter(pk__in=ids))
        if count:
            self.replayed(request, ids)
            messages.success(request, _("นำงาน %(count)d รายการกลับเข้าคิวแล้ว") % {"count": count})
        else:
            messages.warning(request, _("เลือกได้เฉพาะงานที่ส่งไม่สำเร็จ"))

    def replayed(self, request, ids: list[int]) -> None:
        """After the messages ``ids`` were put back in the queue (audit.admin records it)."""


admin.site.site_header = _("ผู้ดูแลระบบ ศูนย์ดำรงธรรม")
admin.site.site_title = _("ผู้ดูแลระบบ ศูนย์ดำรงธรรม")
admin.site.index_title = _("การจัดการระบบ")
