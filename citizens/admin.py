from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citizens.models import CenterContact, CitizenNotice
from citizens.notices import services as notices


@admin.register(CenterContact)
class CenterContactAdmin(admin.ModelAdmin):
    list_display = ("__str__", "phone", "email", "office_hours")
    list_select_related = ("district", "province")
    autocomplete_fields = ()
    raw_id_fields = ("district",)
    list_filter = ("province",)
    search_fields = ("district__name_th", "province__name_th", "phone")


@admin.register(CitizenNotice)
class CitizenNoticeAdmin(admin.ModelAdmin):
    """The notices to complainants: what went out, what failed and why; the failed
    ones sent again once their channel is back. Read only, and never the address:
    a confidential complainant's e-mail is hers and her case handlers' alone."""

    list_display = ("case_number", "kind", "channel", "state", "attempts", "created_at", "sent_at", "last_error")
    list_filter = ("state", "channel", "kind")
    list_select_related = ("complaint",)
    fields = ("case_number", "kind", "channel", "state", "attempts", "created_at", "sent_at", "last_error")
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("เลขที่รับ"))
    def case_number(self, notice) -> str:
        return notice.complaint.number

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("ส่งการแจ้งที่ไม่สำเร็จอีกครั้ง"), permissions=["view"])
    def send_again(self, request, queryset):
        count = notices.send_again(queryset)
        self.message_user(
            request, ngettext("ส่งอีกครั้ง %(count)d รายการ", "ส่งอีกครั้ง %(count)d รายการ", count) % {"count": count}
        )
