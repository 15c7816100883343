"""Production settings: the base settings, refusing what is unsafe on a server.

Start with ``DJANGO_SETTINGS_MODULE=core.settings.production``. Required:
``SECRET_KEY`` (50+ characters), ``ALLOWED_HOSTS``, ``DATABASE_URL``; ``DEBUG``
must be off.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSECURE_DEFAULT_AUDIT_ANCHOR_KEY, INSECURE_DEFAULT_SECRET_KEY, env

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG is on under core.settings.production. Unset DEBUG or set DEBUG=false.")
if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY is missing, the embedded default, or shorter than 50 characters. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty. Set it to the host names of this server, comma-separated.")
if "DATABASE_URL" not in env.ENVIRON:
    raise ImproperlyConfigured("DATABASE_URL is not set: production runs on PostgreSQL.")
if AUDIT_ANCHOR_KEY == INSECURE_DEFAULT_AUDIT_ANCHOR_KEY or len(AUDIT_ANCHOR_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "AUDIT_ANCHOR_KEY is missing, the embedded default, or shorter than 32 characters: it signs the audit "
        "log's checkpoints and must not be stored in the database. Generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(48))"'
    )
if not 10 <= ONLINE_POW_BITS <= 22:  # noqa: F405
    raise ImproperlyConfigured(
        "ONLINE_POW_BITS must be between 10 and 22: below, the online form's proof of work costs a bot "
        "nothing; above, a phone works for minutes before a complaint is sent (public/online/pow.py)."
    )

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
