from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from exports.models import Export


@admin.register(Export)
class ExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What officers took away: the administrator sees it and changes nothing
    (the files go by themselves when they expire)."""

    list_display = ["id", "title", "owner", "state", "rows", "size", "created_at", "expires_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "case_number", "owner__national_id", "owner__last_name"]
    list_select_related = ["owner"]
