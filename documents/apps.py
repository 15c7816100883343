from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Scanned letters: import (one file, a ZIP, a scanner's folder), Thai OCR in the
    background, searchable PDFs, and a case made from a letter."""

    name = "documents"
    verbose_name = _("หนังสือและเอกสารสแกน")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The center's tray of letters not yet on a case: for whoever sees a center's cases.
        from core.navigation import NavItem, register

        # tasks registers the workers' tasks; services the deletions' signal.
        from documents import services, tasks  # noqa: F401
        from documents.selectors import sees_trays

        register(NavItem("documents:tray", _("เอกสารสแกน"), "file-earmark-text", allowed=sees_trays, order=35))
        # The case search reads the pages' text and indexes a case again on document_changed.
        from documents import search

        search.install()
