from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Activation, Registration
from core.admin import NulSafeSearchMixin, ReadOnlyAdminMixin
from core.thai import format_datetime


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, NulSafeSearchMixin, admin.ModelAdmin):
    """The registrations, as their pages show them: read here, acted on in the application
    (certification is the certifier's, never the administrator's typing)."""

    list_display = ["full_name", "position", "center_name", "kind", "state", "submitted_display", "decided_display"]
    list_filter = ["state", "kind", "scope_level", "province"]
    search_fields = ["national_id", "first_name", "last_name"]
    list_select_related = ["province", "district"]
    readonly_fields = ["page_link"]

    @admin.display(description=_("ส่งเมื่อ"), ordering="submitted_at")
    def submitted_display(self, obj):
        return format_datetime(obj.submitted_at)

    @admin.display(description=_("รับรองหรือส่งกลับเมื่อ"), ordering="decided_at")
    def decided_display(self, obj):
        return format_datetime(obj.decided_at) if obj.decided_at else "—"

    @admin.display(description=_("หน้าแบบลงทะเบียน"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("accounts:registration_detail", args=[obj.pk]), _("เปิด"))


@admin.register(Activation)
class ActivationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "channel", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["channel"]
    list_select_related = ["user"]
    exclude = ["digest"]
