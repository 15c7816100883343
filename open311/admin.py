from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from audit import events
from audit.admin import AuditedAdminMixin
from core.thai import format_datetime
from open311 import services
from open311.models import Client


@admin.register(Client)
class ClientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The apps that may POST requests. A key is shown once, when made (adding a client, or
    "new key", which stops the old one at once); only its digest is kept."""

    list_display = ["name", "key_prefix", "is_active", "created_display", "last_used_display", "filed"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact", "key_prefix"]
    fields = ["name", "contact", "is_active", "key_prefix", "created_display", "last_used_display"]
    readonly_fields = ["key_prefix", "created_display", "last_used_display"]
    change_form_template = "admin/open311/client/change_form.html"

    @admin.display(description=_("สร้างเมื่อ"), ordering="created_at")
    def created_display(self, obj):
        return format_datetime(obj.created_at) if obj.pk else "—"

    @admin.display(description=_("ส่งเรื่องล่าสุดเมื่อ"), ordering="last_used_at")
    def last_used_display(self, obj):
        return format_datetime(obj.last_used_at) if obj.last_used_at else "—"

    @admin.display(description=_("เรื่องที่ส่ง"), ordering="filed_count")
    def filed(self, obj):
        return obj.filed_count

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(filed_count=Count("submissions"))

    def has_delete_permission(self, request, obj=None):
        return False  # an app that filed cases stays on record; stop it with "ใช้งาน"

    def save_model(self, request, obj, form, change):
        if not change:
            request._open311_key = services.issue_key(obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_open311_key", None):
            return self._show_key(request, obj, created=True)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/new-key/",
                self.admin_site.admin_view(self.new_key_view),
                name="open311_client_new_key",
            ),
            *super().get_urls(),
        ]

    def new_key_view(self, request, object_id):
        client = self.get_object(request, unquote(object_id))
        if client is None:
            raise Http404
        if not self.has_change_permission(request, client):
            raise PermissionDenied
        if request.method != "POST":
            context = {**self.admin_site.each_context(request), "client": client, "opts": self.opts,
                       "title": _("ออก api_key ใหม่")}  # fmt: skip
            return TemplateResponse(request, "admin/open311/client/new_key_confirm.html", context)
        before = self._values(client) | {"key_prefix": client.key_prefix}
        request._open311_key = services.issue_key(client)
        client.save(update_fields=["key_hash", "key_prefix"])
        events.settings_changed(
            request.user,
            what=f"{client._meta.label} #{client.pk}: {client} (new api_key)",
            before=before,
            after=self._values(client) | {"key_prefix": client.key_prefix},
        )
        return self._show_key(request, client, created=False)

    def _show_key(self, request, client, *, created):
        context = {
            **self.admin_site.each_context(request),
            "client": client,
            "key": request._open311_key,
            "created": created,
            "opts": self.opts,
            "title": _("api_key ของแอปพลิเคชัน"),
            "change_url": reverse("admin:open311_client_change", args=[client.pk]),
        }
        response = TemplateResponse(request, "admin/open311/client/api_key.html", context)
        # The key is in this page only: no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response
