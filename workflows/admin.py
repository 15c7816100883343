"""viewflow's own admin for processes and tasks, made read-only.

``viewflow.workflow.admin`` registers ``Process`` and ``Task`` with delete (and
edit) allowed. Deleting a case's process would delete its tasks (``CaseTask``
cascades from it) with no timeline event and no audit row: a write that skips
the service layer. Work moves only through ``cases.services`` and
``workflows.engine``; here an administrator may look, not change.
"""

from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from core.admin import BoundedDateHierarchyMixin


class ReadOnly(BoundedDateHierarchyMixin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyProcessAdmin(ReadOnly, ProcessAdmin):
    pass


class ReadOnlyTaskAdmin(ReadOnly, TaskAdmin):
    pass


for model, model_admin in ((Process, ReadOnlyProcessAdmin), (Task, ReadOnlyTaskAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
