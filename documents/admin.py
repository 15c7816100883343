from django.contrib import admin

from documents.models import Batch, Document, Page


class PageInline(admin.TabularInline):
    model = Page
    fields = ("number", "confidence", "rotation", "skew", "read_at", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Scanned documents, for the administrators: what was read, and why a reading failed."""

    list_display = ("original_name", "district", "complaint", "status", "page_count", "attempts", "uploaded_at")
    list_filter = ("status", "content_type")
    search_fields = ("original_name", "sha256")
    raw_id_fields = ("complaint", "batch", "uploaded_by")
    readonly_fields = (
        "original", "original_name", "content_type", "size", "sha256", "searchable_pdf", "page_count", "status",
        "error", "attempts", "uploaded_by", "uploaded_at", "read_at",
    )  # fmt: skip
    inlines = [PageInline]
    date_hierarchy = "uploaded_at"


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "district", "total", "created_at", "finished_at")
    list_filter = ("source",)
    readonly_fields = ("source", "name", "district", "created_by", "created_at", "total", "rejected", "finished_at")
