"""Static files: which installed apps' assets we ship."""

from django.conf import settings
from django.contrib.staticfiles import finders


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Find apps' static files, except those of ``STATICFILES_SKIP_APPS``.

    viewflow ships its Material frontend (49 MB: Roboto, Material icons, its CSS
    and JS) which no page of ours uses, and its CSS names Roboto files it does
    not ship, so the manifest storage's ``collectstatic`` fails on them. Not
    collecting them at all is the fix: nothing can link to what is not there.
    """

    def __init__(self, app_names=None, *args, **kwargs):
        super().__init__(app_names, *args, **kwargs)
        for name in settings.STATICFILES_SKIP_APPS:
            self.storages.pop(name, None)
            if name in self.apps:
                self.apps.remove(name)
