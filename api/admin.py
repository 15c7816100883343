"""Device tokens for the administrator: who signed in on which device, and revoking one.

Read-only but for the action "revoke" (through ``api.services``, audited). A token's key
is never stored, so never shown; nor is its digest."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api import services
from api.models import DeviceToken
from core.admin import ReadOnlyAdminMixin
from core.thai import format_datetime


@admin.register(DeviceToken)
class DeviceTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "user", "state", "created_display", "last_used_display", "expires_display"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at", "expires_at"]
    search_fields = ["name", "user__national_id", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = readonly_fields = ["user", "name", "created_at", "expires_at", "last_used_at", "revoked_at", "revoked_by"]
    actions = ["revoke"]

    @admin.display(description=_("สถานะ"))
    def state(self, obj):
        if obj.is_revoked:
            return _("ยกเลิกแล้ว")
        return _("หมดอายุแล้ว") if obj.is_expired else _("ใช้งานได้")

    @admin.display(description=_("ออกให้เมื่อ"), ordering="created_at")
    def created_display(self, obj):
        return format_datetime(obj.created_at)

    @admin.display(description=_("ใช้งานล่าสุดเมื่อ"), ordering="last_used_at")
    def last_used_display(self, obj):
        return format_datetime(obj.last_used_at) if obj.last_used_at else "—"

    @admin.display(description=_("หมดอายุเมื่อ"), ordering="expires_at")
    def expires_display(self, obj):
        return format_datetime(obj.expires_at)

    @admin.action(description=_("ยกเลิกโทเค็นอุปกรณ์ที่เลือก"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(token=token, by=request.user, request=request)
            revoked += 1
        messages.success(request, _("ยกเลิกโทเค็นอุปกรณ์ %(count)d รายการแล้ว") % {"count": revoked})
