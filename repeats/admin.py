"""Repeat links and the sweep's runs, to read: every decision on a link is an officer's, taken
on the case page or the review list through ``repeats.services`` (and its audit rows)."""

from django.contrib import admin

from repeats.models import RepeatLink, SweepRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RepeatLink)
class RepeatLinkAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "relation", "state", "score", "created_at", "created_by", "decided_at", "decided_by"]
    list_filter = ["state", "relation"]
    list_select_related = ["case", "other", "created_by", "decided_by"]
    date_hierarchy = "created_at"
    fields = ["case", "other", "relation", "score", "reasons", "state", "created_at", "created_by", "decided_at",
              "decided_by", "note"]  # fmt: skip
    raw_id_fields = ["case", "other"]


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "since", "until", "cases_checked", "pairs_found"]
    date_hierarchy = "started_at"
