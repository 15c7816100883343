"""Admin changes go to the audit log: the mixin every app's admin uses, and core's admins with it.

Core is below the audit log, so core's admin classes cannot write to it: they are
defined in ``core.admin`` and registered here, with the writer added (Django lets an
app register another app's model). The log's own admin page shows rows through the
auditors' mask of personal data, so it is registered by the pages' app
(``auditing.admin``).
"""

from django.contrib import admin
from django.forms.models import model_to_dict

from audit import events
from core.admin import OutboxMessageAdmin, UserAdmin
from core.models import OutboxMessage, User


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


@admin.register(User)
class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    """Accounts: each change, with before and after."""


@admin.register(OutboxMessage)
class AuditedOutboxMessageAdmin(OutboxMessageAdmin):
    """The outbox: each replay of dead messages."""

    def replayed(self, request, ids: list[int]) -> None:
        events.settings_changed(
            request.user,
            what=f"core.OutboxMessage replayed: {ids}",
            before={"state": "dead"},
            after={"state": "pending"},
        )
