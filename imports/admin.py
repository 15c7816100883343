"""The admin's import of earlier records: upload a file, watch its progress.

Adding an import job is uploading its file; the job then runs in the background
(``imports.services.run_job``). The job's page is its progress: a bar that polls
``<id>/progress/`` (JSON) until the job ends, then the problems of its rows. Jobs
cannot be changed; each administrator sees her own, a superuser all.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.admin import AuditedAdminMixin
from core.thai import format_datetime
from imports.forms import UploadForm
from imports.models import ImportJob
from imports.services import may_upload, queue_import

# How often the job's page asks for its progress (milliseconds).
POLL_MS = 1000


def progress_of(job: ImportJob) -> dict:
    """What the job's page shows of it, as the progress endpoint answers."""
    return {
        "status": job.status, "status_label": job.get_status_display(), "phase": job.phase,
        "phase_label": job.get_phase_display() if job.phase else "", "total": job.total, "done": job.done,
        "added": job.added, "skipped": job.skipped, "failed": job.failed, "percent": job.percent,
        "finished": job.is_finished, "rolled_back": job.rolled_back, "message": job.message,
    }  # fmt: skip


@admin.register(ImportJob)
class ImportJobAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = UploadForm
    change_form_template = "imports/job.html"
    list_display = ["id", "original_name", "source", "status", "progress_display", "added", "skipped", "failed",
                    "uploaded_by", "created_display"]  # fmt: skip
    list_display_links = ["id", "original_name"]
    list_filter = ["status", "dry_run"]
    search_fields = ["original_name", "source"]
    audit_exclude = ("file", "errors")
    fields_shown = [
        "original_name", "source", "district_default", "dry_run", "all_or_nothing", "uploaded_by", "created_display",
        "started_display", "finished_display", "encoding", "ignored_columns",
    ]  # fmt: skip

    @admin.display(description=gettext_lazy("ความคืบหน้า"))
    def progress_display(self, job: ImportJob) -> str:
        return f"{job.done:,}/{job.total:,} ({job.percent}%)"

    @admin.display(description=gettext_lazy("อัปโหลดเมื่อ"), ordering="created_at")
    def created_display(self, job: ImportJob) -> str:
        return format_datetime(job.created_at)

    @admin.display(description=gettext_lazy("เริ่มเมื่อ"))
    def started_display(self, job: ImportJob) -> str:
        return format_datetime(job.started_at) or "—"

    @admin.display(description=gettext_lazy("เสร็จเมื่อ"))
    def finished_display(self, job: ImportJob) -> str:
        return format_datetime(job.finished_at) or "—"

    def get_queryset(self, request):
        jobs = super().get_queryset(request).select_related("uploaded_by", "district_default")
        return jobs if request.user.is_superuser else jobs.filter(uploaded_by=request.user)

    def get_fields(self, request, obj=None):
        return ["file", "source", "district_code", "dry_run", "all_or_nothing"] if obj is None else self.fields_shown

    def get_readonly_fields(self, request, obj=None):
        return self.fields_shown if obj is not None else []

    def has_add_permission(self, request):
        return may_upload(request.user) and super().has_add_permission(request)

    def has_view_permission(self, request, obj=None):
        # Who may upload sees her own jobs (get_queryset) without a separate permission.
        return may_upload(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # a job is what happened: its page shows it, nothing edits it

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_finished) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        queue_import(obj)
        request._audit_pending = (obj, {})  # AuditedAdminMixin.save_related writes the audit row

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, _("อัปโหลด %(name)s แล้ว ระบบกำลังนำเข้าในเบื้องหลัง") % {"name": obj.original_name})
        return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[obj.pk]))

    def get_urls(self):
        progress = path(
            # <path:...> as the admin's own object pages: what is not a job's id is a 404 there too.
            "<path:object_id>/progress/", self.admin_site.admin_view(self.progress_view),
            name="imports_importjob_progress",
        )  # fmt: skip
        return [progress, *super().get_urls()]

    def progress_view(self, request, object_id: str):
        job = (
            self.get_queryset(request).filter(pk=int(object_id)).first()
            if object_id.isascii() and object_id.isdigit()
            else None
        )
        if job is None or not self.has_view_permission(request, job):
            raise Http404
        response = JsonResponse(progress_of(job))
        response["Cache-Control"] = "no-store"
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # One way on from an upload: to its job's page.
        context.update(show_save_and_add_another=False, show_save_and_continue=False)
        if obj is not None:
            context.update(job=obj, errors_shown=obj.errors, errors_more=max(obj.failed - len(obj.errors), 0),
                           poll_ms=POLL_MS)  # fmt: skip
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
