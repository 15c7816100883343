from django.contrib import admin
from django.forms.models import model_to_dict

from audit import events
from audit.models import AuditEvent, Kind
from audit.selectors import PersonalDataMask, detail_text


class AuditedAdminMixin:
    """Admin changes (categories, SLA targets, teams, accounts) go to the audit log with before and after."""

    audit_exclude = ("password", "last_login")

    def _values(self, obj) -> dict:
        if obj is None or obj.pk is None:
            return {}
        values = model_to_dict(obj, exclude=self.audit_exclude)
        return {
            key: (list(map(str, value)) if isinstance(value, list | tuple) else str(value))
            for key, value in values.items()
        }

    def save_model(self, request, obj, form, change):
        before = self._values(type(obj).objects.filter(pk=obj.pk).first()) if change else {}
        super().save_model(request, obj, form, change)
        request._audit_pending = (obj, before)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, before = getattr(request, "_audit_pending", (form.instance, {}))
        events.settings_changed(
            request.user, what=f"{obj._meta.label} #{obj.pk}: {obj}", before=before, after=self._values(obj)
        )

    def delete_model(self, request, obj):
        events.settings_changed(
            request.user, what=f"{obj._meta.label} #{obj.pk} deleted", before=self._values(obj), after={}
        )
        super().delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only. The detail is shown through the same
    mask as the auditors' pages, and is searched only where it names no one."""

    list_filter = ["kind"]
    search_fields = ["actor_name", "actor_national_id", "case_number"]
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
