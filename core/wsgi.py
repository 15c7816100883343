import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")
application = get_wsgi_application()

# Django, the apps and every module they load now live as long as the worker: keep them
# out of the cyclic collector's full passes, which otherwise walk them all again. A full
# pass took 46 ms, once in about 100 requests of the auditor's case history (bench/pages
# does the same after its setup). The collector still frees what requests create.
gc.freeze()
