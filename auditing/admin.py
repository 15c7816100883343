"""The audit log's admin page: read-only, its detail shown through the auditors' mask.

The model is the ``audit`` app's; it is registered here because the mask reads the
cases (``auditing.selectors.PersonalDataMask``), which the log itself may not import.
"""

from django.contrib import admin

from audit.models import AuditEvent, Kind
from auditing.selectors import PersonalDataMask, detail_text
from core.admin import ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is append-only. The detail is shown through the same
    mask as the auditors' pages, and is searched only where it names no one."""

    list_filter = ["kind"]
    search_fields = ["actor_name", "actor_national_id", "case_number", "action"]
    exclude = ["detail"]

    def _shown_detail(self, request):
        """The detail column, masked for ``request.user``: one function per request, so
        that the admin's field lists of one page hold the same object."""
        if not hasattr(request, "_audit_shown_detail"):
            mask = PersonalDataMask(request.user)

            @admin.display(description=AuditEvent._meta.get_field("detail").verbose_name)
            def shown_detail(event):
                return detail_text(event, mask)

            request._audit_shown_detail = shown_detail
        return request._audit_shown_detail

    def get_list_display(self, request):
        return ["id", "at", "kind", "actor_name", "case_number", "ip", self._shown_detail(request)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), self._shown_detail(request)]

    def get_search_results(self, request, queryset, search_term):
        filtered = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            # Older "viewed personal data" rows hold a complainant's name in their
            # detail: a search must not find a case by a name its reader may not see.
            queryset |= filtered.filter(detail__icontains=search_term).exclude(kind=Kind.PERSONAL_DATA_VIEW)
        return queryset, may_have_duplicates
