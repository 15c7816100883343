"""What makes /field/ a progressive web app: its files, the service worker's precache
list and the web app manifest.

The bundle (``static/field/build/``) is made from ``src/`` by ``npm run build:field``
(``make assets``). Its URLs are resolved here, through the static files storage, so
that the service worker precaches exactly the URLs the shell page asks for, hashed
names included when the manifest storage is on.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from field.strings import strings

BUILD = "field/build/"
SCRIPT = BUILD + "app.js"
STYLES = BUILD + "app.css"
SERVICE_WORKER = BUILD + "sw.js"
ICONS = {
    "192": "field/icons/icon-192.png",
    "512": "field/icons/icon-512.png",
    "maskable": "field/icons/maskable-512.png",
    "apple": "field/icons/apple-touch-icon.png",
}
LEAFLET = [
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
]
THEME_COLOR = "#1f3a68"  # the navbar's --brand (static/css/site.css)
BACKGROUND_COLOR = "#f4f6fa"


def _find(path: str) -> Path:
    found = finders.find(path)
    if not found:
        raise ImproperlyConfigured(f"static file {path} is missing: build the field app with `make assets`")
    return Path(found)


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def revision(path: str) -> str:
    """A hash of a static file's content (recomputed when the file changes)."""
    found = _find(path)
    stat = found.stat()
    return _digest(found, stat.st_mtime_ns, stat.st_size)


def bundle_files() -> list[str]:
    """The bundle's files the shell uses: the script, the styles and the fonts (woff2 only:
    every browser that runs a service worker reads it)."""
    folder = _find(SCRIPT).parent
    fonts = sorted(BUILD + p.name for p in folder.iterdir() if p.suffix == ".woff2")
    return [SCRIPT, STYLES, *fonts]


def _static_prefix() -> str:
    # static("") has no entry in the manifest storage's table; the prefix is the setting.
    url = settings.STATIC_URL
    return url if url.startswith(("/", "http://", "https://")) else "/" + url


def tile_origins() -> list[str]:
    parts = urlsplit(settings.MAP_TILE_URL)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def client_config() -> dict:
    """What the app's script needs to know, given in the shell page."""
    return {
        "api": "/api/v1/",
        "scope": reverse("field:shell"),
        "serviceWorker": reverse("field:service_worker"),
        "tiles": settings.MAP_TILE_URL,
        "tilesAttribution": settings.MAP_TILE_ATTRIBUTION,
        "marker": {
            "icon": static("vendor/leaflet/images/marker-icon.png"),
            "icon2x": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadow": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "icon": static(ICONS["192"]),
        "passwordChange": reverse("password_change"),
        "strings": strings(),
    }


def shell_revision() -> str:
    """Changes whenever the shell page would: its template, its text, its files."""
    template = Path(get_template("field/shell.html").origin.name).read_bytes()
    parts = [template, json.dumps(client_config(), sort_keys=True).encode()]
    parts += [f"{path}={revision(path)}".encode() for path in [*bundle_files(), *LEAFLET, *ICONS.values()]]
    return hashlib.sha256(b"\n".join(parts)).hexdigest()[:16]


def service_worker_config() -> dict:
    """The service worker's settings: what to precache (URL and revision), the scope."""
    files = [*bundle_files(), *LEAFLET, *ICONS.values()]
    shell = reverse("field:shell")
    precache = [{"url": static(path), "revision": revision(path)} for path in files]
    precache += [
        {"url": shell, "revision": shell_revision()},
        {"url": reverse("field:manifest"), "revision": shell_revision()},
    ]
    return {
        "precache": precache,
        "shell": shell,
        "scope": shell,
        "api": "/api/v1/",
        "static": _static_prefix(),
        "tileOrigins": tile_origins(),
    }


def service_worker_source() -> str:
    """The service worker: its settings, then the bundled Workbox script."""
    code = _find(SERVICE_WORKER).read_text(encoding="utf-8")
    settings_line = json.dumps(service_worker_config(), ensure_ascii=True, separators=(",", ":"))
    return f"self.FIELD_SW = {settings_line};\n{code}"


def manifest() -> dict:
    shell = reverse("field:shell")
    return {
        "id": shell,
        "name": _("ศูนย์ดำรงธรรม ชปต."),
        "short_name": _("ชปต."),
        "description": _("รับ ติดตาม และแก้ไขเรื่องร้องเรียนในตำบลของชุดปฏิบัติการ ใช้งานได้แม้ไม่มีสัญญาณ"),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": shell,
        "scope": shell,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["productivity", "government"],
        "icons": [
            {"src": static(ICONS["192"]), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static(ICONS["512"]), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static(ICONS["maskable"]), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
