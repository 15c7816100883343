"""Production settings fail loudly on unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 20 + "-production-secret-" + "y" * 30


def run_manage(*args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(DJANGO_SETTINGS_MODULE="core.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": GOOD_SECRET,
    "AUDIT_ANCHOR_KEY": "audit-anchor-key-for-the-production-settings-tests",
    "ALLOWED_HOSTS": "damrongdhama.example.go.th",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
}


# The clean `check --deploy` needs collected static files: tests/core/test_production.py.


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": "insecure-embedded-default-do-not-use-in-production"}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": "short"}, "shorter than 50"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
    ],
)
def test_unsafe_values_stop_start_up_with_a_clear_message(overrides, message):
    env = {**PRODUCTION, **overrides}
    env = {k: v for k, v in env.items() if v != "" or k == "ALLOWED_HOSTS"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_missing_database_url_is_refused():
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    result = run_manage("check", **env)
    assert "DATABASE_URL is not set" in result.stderr
