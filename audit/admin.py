from django.contrib import admin
from django.forms.models import model_to_dict

from audit import events
from audit.models import AuditEvent


class AuditedAdminMixin:
    """Admin changes (categories, SLA targets, teams, accounts) go to the audit log with before and after."""

    audit_exclude = ("password", "last_login")

    def _values(self, obj) -> dict:
        if obj is None or obj.pk is None:
            return {}
        values = model_to_dict(obj, exclude=self.audit_exclude)
        return {key: (list(map(str, value)) if isinstance(value, list | tuple) else str(value)) for key, value in values.items()}

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
        events.settings_changed(request.user, what=f"{obj._meta.label} #{obj.pk} deleted", before=self._values(obj), after={})
        super().delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["id", "at", "kind", "actor_name", "case_number", "ip", "detail"]
    list_filter = ["kind"]
    search_fields = ["actor_name", "actor_national_id", "case_number", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
