"""Production static files: collectstatic works, and the login pages are served with their CSS.

Everything runs in subprocesses under ``core.settings.production`` (DEBUG off,
WhiteNoise's compressed manifest storage), the way gunicorn would load it: the
requests go through ``core.wsgi.application``, the WSGI callable itself.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_settings import PRODUCTION

ROOT = Path(__file__).resolve().parents[2]
HOST = PRODUCTION["ALLOWED_HOSTS"]
# Generous: on a machine loaded by other jobs a Django start-up takes seconds.
TIMEOUT = 600

# Fetch pages through the WSGI callable, as gunicorn does, behind a TLS proxy.
FETCH = r"""
import io, json, re, sys
from core.wsgi import application
from django.conf import settings

def get(path):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": HOST,
        "SERVER_PORT": "443", "HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_ENCODING": "", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "SERVER_PROTOCOL": "HTTP/1.1",
    }
    status = {}
    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])
        status["headers"] = dict(headers)
    body = b"".join(application(environ, start_response))
    return status["code"], status["headers"].get("Content-Type", ""), body.decode("utf-8", "replace")

result = {"debug": settings.DEBUG, "storage": settings.STORAGES["staticfiles"]["BACKEND"], "pages": {}}
for page in sys.argv[1:]:
    code, _type, html = get(page)
    sheets = re.findall(r'<link rel="stylesheet"[^>]* href="([^"]+)"', html)
    marker = re.search(r'data-testid="error-(\d+)"', html)
    result["pages"][page] = {
        "status": code,
        "error_page": marker and marker.group(1),
        "stylesheets": {url: get(url)[:2] for url in sheets},
    }
print(json.dumps(result))
""".replace("HOST", repr(HOST))


def production_env(static_root, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            *PRODUCTION,
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "STATIC_ROOT",
            "STATICFILES_STORAGE",
            "REDIS_URL",
        }
    }
    # The pages fetched here never query: PRODUCTION's unused database name proves it.
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="core.settings.production", STATIC_ROOT=str(static_root))
    env.update(overrides)
    return env


def run(args, static_root):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=production_env(static_root),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    result = run(["manage.py", "collectstatic", "--no-input"], static_root)
    assert result.returncode == 0, result.stderr[-3000:]
    return static_root


def test_collectstatic_succeeds_and_writes_the_manifest(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    assert "css/site.css" in manifest["paths"]
    assert "admin/css/base.css" in manifest["paths"]
    # viewflow's unused Material frontend (Roboto, 49 MB) is not shipped at all.
    assert not (collected / "viewflow").exists()


def test_login_pages_are_served_with_their_css_under_production_settings(collected):
    expected = {"/accounts/login/": 200, "/admin/login/": 200, "/no-such-page/": 404}
    result = run(["-c", FETCH, *expected], collected)
    assert result.returncode == 0, result.stderr[-3000:]
    fetched = json.loads(result.stdout.strip().splitlines()[-1])

    assert fetched["debug"] is False
    assert fetched["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    for page, outcome in fetched["pages"].items():
        assert outcome["status"] == expected[page], (page, result.stderr[-3000:])
        assert outcome["stylesheets"], page
        for url, (status, content_type) in outcome["stylesheets"].items():
            assert status == 200, (page, url)
            assert content_type.startswith("text/css"), (page, url)
            # A hashed name from the manifest: cacheable for ever.
            assert ".css" in url and url.rsplit("/", 1)[-1].count(".") >= 2, url
    assert any("site." in url for url in fetched["pages"]["/accounts/login/"]["stylesheets"])
    # Our own Thai error page, in our look (not viewflow's Material one with Roboto).
    assert fetched["pages"]["/no-such-page/"]["error_page"] == "404"


def test_deploy_check_is_clean_after_collectstatic(collected):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], collected)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_reports_a_missing_manifest(tmp_path):
    result = run(["manage.py", "check", "--deploy"], tmp_path)
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "collectstatic" in result.stderr


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def test_systemd_units_run_the_procfile_commands_and_always_restart():
    commands = procfile()
    assert set(commands) == {"web", "worker", "beat"}
    for name, command in commands.items():
        unit = (ROOT / "deploy" / f"damrongdhama-{name}.service").read_text()
        assert "\nRestart=always\n" in unit, name
        assert "\nEnvironmentFile=/etc/damrongdhama/env\n" in unit, name
        exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
        program, args = command.split(" ", 1)
        # The same program and arguments; only the paths are absolute on a server.
        assert exec_start.startswith(f"ExecStart=/srv/damrongdhama/{program} "), name
        assert args.split("--schedule=")[0] in exec_start, name
    env_example = (ROOT / "deploy" / "damrongdhama.env.example").read_text()
    assert "DJANGO_SETTINGS_MODULE=core.settings.production" in env_example
    assert "appendonly yes" in (ROOT / "deploy" / "redis-damrongdhama.conf").read_text()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_procfile_web_command_serves_the_login_page_over_http(collected, tmp_path):
    # given the Procfile's web command on a free port
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w+")  # a file, not a pipe nobody drains
    command = shlex.split(procfile()["web"].replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
    command[0] = str(ROOT / command[0])
    server = subprocess.Popen(
        [*command, "--workers", "1"],
        cwd=ROOT,
        env=production_env(collected),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # when it is up (a readiness wait, with a limit far above any start-up time)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
        )
        deadline = time.monotonic() + TIMEOUT
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own server)
                    status, html = response.status, response.read().decode()
                break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        # then the sign-in page comes back, with the hashed stylesheet links
        assert status == 200, (tmp_path / "gunicorn.log").read_text()[-3000:]
        assert 'name="username"' in html
        assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', html)
    finally:
        server.terminate()
        server.wait(timeout=TIMEOUT)
        log.close()


def test_readme_gives_the_whole_deployment_sequence_in_order():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]
    steps = [
        "--lc-ctype=C.UTF-8",
        "appendonly",
        "manage.py migrate",
        "manage.py collectstatic",
        "manage.py compile_translations",
        "manage.py check --deploy",
        "damrongdhama-web.service",
        "systemctl enable --now damrongdhama-web damrongdhama-worker damrongdhama-beat",
        "/etc/nginx/sites-enabled/",
    ]
    positions = [section.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    for path in ("deploy/redis-damrongdhama.conf", "deploy/nginx-damrongdhama.conf", "deploy/damrongdhama.env.example"):
        assert path in section and (ROOT / path).exists(), path
