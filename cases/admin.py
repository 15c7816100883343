from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditedAdminMixin
from cases.models import Category, Team, TeamMembership
from core.admin import HistoryAdmin


class SubCategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = ["name_th", "name_en", "closure_days", "first_reply_days", "progress_days", "sort_order", "is_active"]
    extra = 1
    verbose_name = _("ประเภทเรื่องย่อย")
    verbose_name_plural = _("ประเภทเรื่องย่อย")


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, HistoryAdmin):
    """Main categories with their sub-categories. Categories in use are never
    deleted (cases point at them): switch them off with “ใช้งาน”."""

    list_display = [
        "name_th",
        "closure_days",
        "first_reply_days",
        "progress_days",
        "is_other",
        "is_active",
        "sort_order",
    ]
    list_filter = ["is_active", "is_other"]
    search_fields = ["name_th", "name_en"]
    inlines = [SubCategoryInline]
    fields = [
        "name_th",
        "name_en",
        "is_other",
        "closure_days",
        "first_reply_days",
        "progress_days",
        "sort_order",
        "is_active",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=True)

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Team)
class TeamAdmin(AuditedAdminMixin, HistoryAdmin):
    list_display = ["name", "subdistrict", "district", "leader", "is_active"]
    list_filter = ["is_active", "district__province"]
    search_fields = ["name", "subdistrict__name_th", "district__name_th"]
    autocomplete_fields = ["subdistrict", "leader"]
    fields = ["name", "subdistrict", "leader", "is_active"]
    inlines = [MembershipInline]
    list_select_related = ["subdistrict", "district", "leader"]
