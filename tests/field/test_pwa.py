"""The field app's Django side: the shell page, its manifest, its service worker, and the policy they live under."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from field import pwa
from field.strings import STRINGS
from tests.core.test_csp import assert_scripts_carry_the_nonce, policy

SRC = Path(__file__).resolve().parents[2] / "field" / "src"


def shell(client):
    response = client.get(reverse("field:shell"))
    assert response.status_code == 200
    return response


def worker(client):
    response = client.get(reverse("field:service_worker"))
    assert response.status_code == 200
    return response


def precache(response) -> dict[str, str]:
    first = response.content.decode().split("\n", 1)[0]
    settings = json.loads(first.removeprefix("self.FIELD_SW = ").removesuffix(";"))
    return {entry["url"]: entry["revision"] for entry in settings["precache"]}


def test_the_shell_opens_for_anyone_and_sets_no_cookie(client):
    """The same page for every phone, signed in or not (the app signs in with a device
    token): the service worker keeps it, so it must carry nobody's session or CSRF cookie."""
    response = shell(client)

    page = response.content.decode()
    assert '<html lang="th">' in page
    assert "<title>ศูนย์ดำรงธรรม ชปต.</title>" in page
    assert response.cookies == {}


def test_the_shell_is_installable_on_android_and_ios(client):
    page = shell(client).content.decode()

    assert f'<link rel="manifest" href="{reverse("field:manifest")}">' in page
    assert '<meta name="theme-color" content="#1f3a68">' in page
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in page
    assert '<link rel="apple-touch-icon" href="/static/field/icons/apple-touch-icon.png">' in page
    assert 'content="width=device-width, initial-scale=1, viewport-fit=cover"' in page


def test_the_shell_gives_the_script_its_settings_and_text(client):
    page = shell(client).content.decode()

    config = json.loads(re.search(r'<script id="field-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["api"] == "/api/v1/"
    assert (config["scope"], config["serviceWorker"]) == ("/field/", "/field/sw.js")
    assert config["strings"]["sign_in"] == "เข้าสู่ระบบ"
    assert config["tiles"] == ""


def test_every_text_the_script_asks_for_is_given():
    """The script names its texts by key (t("...")); a key missing from field/strings.py
    would show the key itself to the member."""
    source = "\n".join(path.read_text() for path in SRC.glob("*.js"))
    literal = set(re.findall(r'\bt\("([a-z0-9_]+)"', source))
    # Keys chosen at run time: the GPS errors, the compass, the states, the network.
    chosen = set(re.findall(r'"((?:gps|dir|state)_[a-z]+)"', source)) | {"online", "offline"}
    assert literal | chosen <= set(STRINGS), sorted((literal | chosen) - set(STRINGS))


def test_the_manifest(client):
    response = client.get(reverse("field:manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "ศูนย์ดำรงธรรม ชปต."
    assert manifest["short_name"] == "ชปต."
    assert manifest["lang"] == "th"
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("/field/", "/field/", "/field/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1f3a68"
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for src in icons.values():
        assert finders.find(src.removeprefix("/static/")), src


def test_the_manifest_follows_the_chosen_language(client):
    client.cookies["dd_language"] = "en"

    manifest = json.loads(client.get(reverse("field:manifest")).content)

    assert manifest["lang"] == "en"


def test_the_service_worker_is_served_at_the_top_of_the_app(client):
    response = worker(client)

    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/field/"
    # Never from an HTTP cache: the browser compares it to find a new deployment.
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    code = response.content.decode()
    assert code.startswith("self.FIELD_SW = {")
    # Workbox bundled in (no importScripts from a CDN), with the thumbnails' runtime cache.
    assert "importScripts" not in code and "precache-v2" in code and "field-thumbnails" in code


def test_the_service_worker_precaches_the_shell_and_everything_it_loads(client):
    page = shell(client).content.decode()
    cached = precache(worker(client))

    loaded = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert loaded, page
    assert loaded <= set(cached), loaded - set(cached)
    assert {"/field/", "/field/manifest.webmanifest"} <= set(cached)
    # the fonts of the bundle's styles, and the map's marker
    assert any(url.endswith("sarabun-thai-400-normal.woff2") for url in cached)
    assert "/static/vendor/leaflet/images/marker-icon.png" in cached


def test_a_changed_file_changes_the_service_worker(client):
    """A revision is the file's content: a new build is a new worker, which fetches it again."""
    cached = precache(worker(client))

    script = Path(finders.find(pwa.SCRIPT))
    assert cached["/static/field/build/app.js"] == hashlib.sha256(script.read_bytes()).hexdigest()[:16]
    assert cached["/field/"] == pwa.shell_revision()


@pytest.mark.parametrize("name", ["field:shell", "field:manifest", "field:service_worker"])
def test_the_app_lives_under_the_policy(client, name):
    response = client.get(reverse(name))

    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["worker-src"] == ["'self'"]
    assert directives["manifest-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]


def test_the_shell_runs_no_inline_script(client):
    response = shell(client)

    assert_scripts_carry_the_nonce(response)
    tags = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert all("src=" in tag or "application/json" in tag for tag in tags), tags


def test_with_a_tile_server_the_worker_may_fetch_tiles(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.go.th/{z}/{x}/{y}.png"

    response = worker(client)

    assert policy(response)["connect-src"] == ["'self'", "https://tiles.example.go.th"]
    assert json.loads(response.content.decode().split("\n", 1)[0].removeprefix("self.FIELD_SW = ").removesuffix(";"))[
        "tileOrigins"
    ] == ["https://tiles.example.go.th"]
    assert policy(shell(client))["connect-src"] == ["'self'"]  # the pages' policy stays as it was


def test_only_get(client):
    assert client.post(reverse("field:shell")).status_code == 405
    assert client.post(reverse("field:service_worker")).status_code == 405


def test_with_hashed_static_files_the_worker_precaches_the_hashed_urls(client, settings, tmp_path):
    """In production the manifest storage gives every file a hashed name: the worker keeps
    exactly the URLs the shell asks for, or the app would not open offline."""
    files = [*pwa.bundle_files(), *pwa.LEAFLET, *pwa.ICONS.values()]
    hashed = {path: re.sub(r"(\.\w+)$", r".0123456789ab\1", path) for path in files}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": hashed}))
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    page = shell(client).content.decode()
    cached = precache(worker(client))

    loaded = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert "/static/field/build/app.0123456789ab.js" in loaded
    assert loaded <= set(cached), loaded - set(cached)
