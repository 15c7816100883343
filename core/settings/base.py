"""Settings for every environment, read from the environment.

The defaults are the embedded run (`make run`, tests without services): SQLite
under ``var/`` and Celery in eager mode. ``core.settings.production`` refuses the
defaults that are unsafe on a real server.
"""

import base64
import hashlib
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import django
import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Only ever used by the embedded run; production.py refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "insecure-embedded-default-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "simple_history",
    "axes",
    # Our apps in the order of their layers (DESIGN.md, "Apps"; tests/core/test_layers.py).
    "core",
    "audit",
    "exports",
    "permissions",
    "cases",
    "viewflow",
    "viewflow.workflow",
    "workflows",
    "auditing",
    "repeats",
    "imports",
    "documents",
    "accounts",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "open311",
    "field",
    "citizens",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (settings at the end of this file).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    "core.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.context.AuditContextMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled by the
    # authentication backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.thai"],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
# SQLite for the embedded run; DATABASE_URL (postgres://...) for CI and production.
# Our PostgreSQL engine creates databases with a Thai-aware ctype (see core/db).
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'damrongdhama.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "core.db.backends.postgresql"
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Wait for the write lock instead of failing at once when two requests write.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dd",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery reads every CELERY_* setting here (core/celery.py). Without Redis, tasks
# run inline (eager), so the embedded run needs no worker.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60  # the longest task (an OCR of a thick scan) stays under it
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Redis re-delivers an unacknowledged task after the visibility timeout; it must be
# longer than the longest task, or a running task is delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TASK_DEFAULT_QUEUE = "damrongdhama"
CELERY_TIMEZONE = "Asia/Bangkok"
CELERY_BEAT_SCHEDULE = {
    "sla-check": {"task": "workflows.check_sla", "schedule": 60 * 60},  # hourly
    "expire-shares": {"task": "permissions.expire_shares", "schedule": 60},  # every minute
    # Side effects written by the services (core/outbox.py); a run not started
    # within 30 s is dropped, the next one does the same work.
    "relay-outbox": {"task": "core.relay_outbox", "schedule": 5, "options": {"expires": 30}},
    "purge-outbox": {"task": "core.purge_outbox", "schedule": 24 * 60 * 60},  # daily
    "purge-exports": {"task": "exports.purge_expired", "schedule": 60 * 60},  # hourly
    "audit-checkpoint": {"task": "audit.checkpoint", "schedule": env.int("AUDIT_CHECKPOINT_SECONDS", default=300)},
    # Complaints typed on the public site and never confirmed: gone a day after (citizens/online/).
    "purge-online-submissions": {"task": "public.online.purge_submissions", "schedule": 60 * 60},  # hourly
    # Officers replaced by a certified registration lose their account on the date assigned (accounts/).
    "end-replaced-accounts": {"task": "accounts.end_replaced_accounts", "schedule": 60 * 60},  # hourly
}

# Sent outbox messages are kept this long for the administrator's page, then deleted.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=14)

# Exports (exports/): a file made for an officer is deleted this long after it is ready.
EXPORT_RETENTION_HOURS = env.int("EXPORT_RETENTION_HOURS", default=24)

# --- Audit log anchors (audit/anchors.py) ------------------------------------------------
# The key that signs the audit checkpoints: from the environment, never in the
# database (production refuses the default). The file keeps a second copy of
# every checkpoint, out of reach of someone who controls only the database.
INSECURE_DEFAULT_AUDIT_ANCHOR_KEY = "insecure-embedded-audit-anchor-key-do-not-use"  # noqa: S105
AUDIT_ANCHOR_KEY = env.str("AUDIT_ANCHOR_KEY", default=INSECURE_DEFAULT_AUDIT_ANCHOR_KEY)
AUDIT_ANCHOR_PATH = env.path("AUDIT_ANCHOR_PATH", default=VAR_DIR / "audit-anchors.jsonl")

# --- Accounts and sign-in ---------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
# A new officer's one-time activation code (accounts/), by e-mail or on a printed slip, lasts this long.
ACCOUNT_ACTIVATION_DAYS = env.int("ACCOUNT_ACTIVATION_DAYS", default=7)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("national_id", "first_name", "last_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.MixedCharactersValidator"},
    {"NAME": "core.passwords.NotNationalIdValidator"},
]

# Idle sessions end: use pushes the expiry forward (core.middleware.SlidingSessionMiddleware,
# at most once a minute; not SESSION_SAVE_EVERY_REQUEST, a database write per page).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock a national ID on one address after repeated failures.
# Username + IP (not username alone) so that nobody can lock a colleague out
# from elsewhere by typing the colleague's ID on purpose.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "core.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
# The client address as every part of the site reads it (the audit log, the public
# site's rate limits): REMOTE_ADDR, or X-Forwarded-For counted from the right.
AXES_CLIENT_IP_CALLABLE = "core.context.client_ip"

# django-guardian: no anonymous user row; object permissions are for officers only.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# --- Language, time zone, dates ---------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
# Our own strings first; then Thai for third-party apps that ship none (viewflow,
# guardian, simple-history) and for gaps in Django's Thai catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_thirdparty"]
LANGUAGE_COOKIE_NAME = "dd_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
# CSS, JS and fonts come from npm packages installed at build time (package.json),
# never from the internet at run time: centers run on closed networks.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/sarabun", NODE_MODULES / "@fontsource" / "sarabun"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
# viewflow's Material frontend assets are never used (our pages are Bootstrap) and
# its CSS names fonts it does not ship, which breaks the manifest storage.
STATICFILES_SKIP_APPS = ["viewflow"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "core.staticfiles.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="damrongdhama@localhost")
# The SMTP server (EMAIL_BACKEND django.core.mail.backends.smtp.EmailBackend): by default
# the host's own mail relay on port 25.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# Seconds before an SMTP server (or a notice's webhook) that does not answer counts as down.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # fontTools logs every glyph subset it makes for a PDF at INFO (the case record's export).
    # pikepdf says at INFO that it loaded (every process that reads a scan).
    "loggers": {
        "axes": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

FORM_RENDERER = "core.rendering.FormRenderer"

# --- Cases ------------------------------------------------------------------------------
CASE_REOPEN_DAYS = env.int("CASE_REOPEN_DAYS", default=90)

# Service levels beyond the per-category ones (cases.Category): days a head has
# to approve, an agency to reply, the province to handle an escalation; and the
# grace after a case's closure target before it is escalated to the province.
SLA_APPROVAL_DAYS = env.int("SLA_APPROVAL_DAYS", default=3)
SLA_AGENCY_REPLY_DAYS = env.int("SLA_AGENCY_REPLY_DAYS", default=30)
SLA_ESCALATION_DAYS = env.int("SLA_ESCALATION_DAYS", default=7)
SLA_ESCALATION_GRACE_DAYS = env.int("SLA_ESCALATION_GRACE_DAYS", default=7)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=10) * 1024 * 1024
# Scanned documents (documents/): one scan (a 300-dpi colour PDF runs to 1-2 MB a page), and
# a ZIP of them uploaded as a batch. The proxy must take requests this large on /documents/
# (deploy/nginx-damrongdhama.conf takes 12 MB elsewhere).
SCAN_MAX_BYTES = env.int("SCAN_MAX_MB", default=50) * 1024 * 1024
SCAN_BATCH_MAX_BYTES = env.int("SCAN_BATCH_MAX_MB", default=200) * 1024 * 1024
# Base map tiles for the incident map, e.g. an internal tile server on the closed
# network ("https://tiles.example.go.th/{z}/{x}/{y}.png"). Empty: the map shows
# the point on a plain background with its coordinates.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Absolute address of the site, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- The citizens' site (citizens/) ---------------------------------------------------------
# Its address as citizens reach it (QR codes, e-mails, Open Graph links): the officers'
# SITE_URL unless the public site has a host of its own.
PUBLIC_SITE_URL = env.str("PUBLIC_SITE_URL", default="") or SITE_URL
# The public figures are computed and kept this long (until the reports' month-end snapshots).
PUBLIC_FIGURES_CACHE_SECONDS = env.int("PUBLIC_FIGURES_CACHE_SECONDS", default=600)
# Complaining online (citizens/online/). The browser proves some work before a complaint
# is filed at once: a SHA-256 with this many leading zero bits, 2^bits hashes on average
# (15: about 1 s on a mid-range phone, measured in citizens/online/pow.py); without
# script the citizen confirms by e-mail instead. Per client address: this many
# complaints an hour, and this many loads of the form a minute.
ONLINE_POW_BITS = env.int("ONLINE_POW_BITS", default=15)
ONLINE_SUBMISSIONS_PER_HOUR = env.int("ONLINE_SUBMISSIONS_PER_HOUR", default=5)
ONLINE_PAGES_PER_MINUTE = env.int("ONLINE_PAGES_PER_MINUTE", default=20)
# The files of one complaint together (each also within UPLOAD_MAX_MB); the proxy's
# request limit for /complain/ is set above it (deploy/nginx-damrongdhama.conf).
ONLINE_UPLOAD_TOTAL_BYTES = env.int("ONLINE_UPLOAD_TOTAL_MB", default=25) * 1024 * 1024
# Notices to complainants (citizens/notices/): the sender of each channel by dotted path,
# in the order they are tried for a complainant (the first she has an address for: an
# e-mail for "email", a phone for "sms" and "line"), e.g.
# "email=citizens.notices.senders.EmailSender,sms=citizens.notices.senders.WebhookSender".
# FileSender writes each message to CITIZEN_NOTICE_FILE_DIR instead (an office without
# mail); WebhookSender posts it as JSON to the channel's gateway with its token.
CITIZEN_NOTICE_SENDERS = env.dict("CITIZEN_NOTICE_SENDERS", default={"email": "citizens.notices.senders.EmailSender"})
CITIZEN_NOTICE_FROM_EMAIL = env.str("CITIZEN_NOTICE_FROM_EMAIL", default="") or DEFAULT_FROM_EMAIL
CITIZEN_NOTICE_FILE_DIR = env.path("CITIZEN_NOTICE_FILE_DIR", default=VAR_DIR / "notices")
CITIZEN_NOTICE_WEBHOOKS = {
    channel: {
        "url": env.str(f"CITIZEN_NOTICE_{channel.upper()}_URL", default=""),
        "token": env.str(f"CITIZEN_NOTICE_{channel.upper()}_TOKEN", default=""),
        "header": env.str(f"CITIZEN_NOTICE_{channel.upper()}_HEADER", default="Authorization"),
    }
    for channel in ("sms", "line")
}


# --- Content-Security-Policy (django-csp) -----------------------------------------------
# Every response says where a page may load from: only this site. Scripts run only
# from our files or, inline, with the request's nonce (<script nonce="{{ request.csp_nonce }}">),
# so an injected <script> or on...= handler never runs. style="" attributes stay
# allowed (our templates and the admin's use them); <style> elements only from files,
# except the admin change list's own, allowed by its hash (read from Django's template,
# so an upgrade of Django keeps it right). Images also as data: and blob: (Leaflet,
# previews), and from the map's tile server when one is configured.
def _admin_style_hashes() -> list[str]:
    template = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html"
    styles = re.findall(r"<style>(.*?)</style>", template.read_text(), flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in styles]


def _origin(url: str) -> list[str]:
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'", *_admin_style_hashes()],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_origin(MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}


# --- open311 (Open311 GeoReport v2 at /open311/v2/, open311/) ---------------------------
# The district boundaries a request's coordinates are looked up in (the public maps' file;
# see its SOURCE.md). Discovery's contact and where an app asks for an api_key.
OPEN311_DISTRICT_BOUNDARIES = BASE_DIR / "citizens/figures/data/th_districts.geojson"
OPEN311_CONTACT = env.str("OPEN311_CONTACT", default="") or DEFAULT_FROM_EMAIL
OPEN311_KEY_SERVICE = env.str("OPEN311_KEY_SERVICE", default="") or OPEN311_CONTACT
# Requests POSTed per hour by one app (api_key) and from one address (any key, wrong ones too).
OPEN311_POSTS_PER_HOUR_PER_CLIENT = env.int("OPEN311_POSTS_PER_HOUR_PER_CLIENT", default=300)
OPEN311_POSTS_PER_HOUR_PER_ADDRESS = env.int("OPEN311_POSTS_PER_HOUR_PER_ADDRESS", default=300)
# Unknown service_request_ids (tracking codes) asked for per minute from one address, as on
# the tracking page (citizens/tracking/limits.py); past it every lookup is refused for the minute.
OPEN311_MISSES_PER_MINUTE = env.int("OPEN311_MISSES_PER_MINUTE", default=20)


# --- api (REST API v1, device tokens, OpenAPI; api/) ------------------------------------
# Phones sign in with a device token (Authorization: Token <key>); the web's session works
# too, with CSRF. Errors are JSON {"code", "message", "fields"} in the user's language
# (api/errors.py). The browsable API only in DEBUG; a phone or a script gets JSON.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.DeviceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsOfficer"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    # JSON; the two endpoints that take files say multipart themselves (api/views.py).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNICODE_JSON": True,
}
# The OpenAPI document (/api/schema/) and its Swagger UI (/api/docs/), whose assets come
# from drf-spectacular-sidecar, served as our own static files: no CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "API ระบบรับเรื่องร้องเรียนร้องทุกข์ ศูนย์ดำรงธรรม / Damrongdhama Centers complaint API",
    "DESCRIPTION": (
        "REST API v1 สำหรับแอปภาคสนามของชุดปฏิบัติการประจำตำบลและระบบอื่น "
        "(the REST API of the field app for sub-district teams). "
        "Authorization: Token <key> (POST /api/v1/auth/token/)."
    ),
    "VERSION": "v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # <id:...> (core/converters.py): a row's key, documented up to the largest integer a
    # JavaScript number (the field app's) holds exactly.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**53 - 1}},
    "ENUM_NAME_OVERRIDES": {"CaseStatus": "cases.models.Status"},
}
# A device token lasts this long from sign-in; then the phone signs in again.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
# Answers to requests sent with an Idempotency-Key are kept this long (api/services.py).
API_IDEMPOTENCY_DAYS = env.int("API_IDEMPOTENCY_DAYS", default=30)
CELERY_BEAT_SCHEDULE["purge-idempotency-records"] = {"task": "api.purge_idempotency_records", "schedule": 24 * 60 * 60}


# --- field (the progressive web app at /field/, field/) ---------------------------------
# Its service worker (/field/sw.js) and manifest come from this site only; the policy
# said so through default-src already, these name it.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["worker-src"] = ["'self'"]
CONTENT_SECURITY_POLICY["DIRECTIVES"]["manifest-src"] = ["'self'"]


# --- the ID-card helper (cardhelper/, a program on the officer's PC) ---------------------
# The intake page's "อ่านบัตรประชาชน" button asks the helper at this address for the card in
# the PC's reader (README, "Reading the ID card"). The helper listens on the PC's loopback
# only, so another host is a mistake; empty hides the button. Only the intake page may
# connect to it: its connect-src names it there (cases/views.py), not in every page's policy.
def _card_helper_url(url: str) -> str:
    parts = urlsplit(url)
    if url and (
        parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost") or parts.path not in ("", "/")
    ):
        raise environ.ImproperlyConfigured(
            f"CARD_HELPER_URL must be http://127.0.0.1:<port>, the helper on the officer's PC, not {url!r}"
        )
    return _origin(url)[0] if url else ""


CARD_HELPER_URL = _card_helper_url(env.str("CARD_HELPER_URL", default="http://127.0.0.1:8765"))


# --- repeats (repeats/): the national sweep ------------------------------------------------
# Every night at 01:30 Bangkok time (CELERY_TIMEZONE), the cases recorded since the last run
# are compared with every case in the country; new candidate pairs wait for the owning
# heads (repeats/sweep.py). A run not started by 07:30 is dropped: the next night covers it.
from celery.schedules import crontab  # noqa: E402 - this block's own import

CELERY_BEAT_SCHEDULE["repeats-sweep"] = {
    "task": "repeats.sweep",
    "schedule": crontab(hour=1, minute=30),
    "options": {"expires": 6 * 60 * 60},
}
