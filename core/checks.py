"""System checks of our own (``manage.py check --deploy``)."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks


@checks.register(checks.Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs=None, **kwargs):
    """Report a manifest storage whose manifest is missing.

    Without it, ``{% static %}`` raises on every page that links a stylesheet,
    so the sign-in page and the admin answer 500.
    """
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    if staticfiles_storage.read_manifest() is not None:
        return []
    return [
        checks.Error(
            f"The static files manifest {staticfiles_storage.manifest_name} is missing from "
            f"STATIC_ROOT ({settings.STATIC_ROOT}): every page would answer 500.",
            hint="Run: manage.py collectstatic --no-input (with the same STATIC_ROOT).",
            id="core.E001",
        )
    ]
