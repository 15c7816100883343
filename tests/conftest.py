"""Shared fixtures: the Thai geography, signing in, and (loaded from
``tests/cast.py``) the people of the stories the tests tell, with their teams."""

import contextlib
import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls there unless told that this is deliberate (it is: tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Correct-horse-2569"

pytest_plugins = ["tests.cast", "tests.case_fixtures"]


@pytest.fixture
def geography(django_db_blocker):
    """Thai geography; reloaded if a transactional test flushed it."""
    from cases.categories import load_categories
    from cases.models import Category
    from core.geography import load_geography
    from core.models import Subdistrict

    with django_db_blocker.unblock():
        if Subdistrict.objects.count() < 7436:
            load_geography()
            _seed_roles()
        if not Category.objects.exists():
            load_categories()


def _seed_roles():
    from core.models import Role
    from core.roles import Role as RoleCode

    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


@pytest.fixture
def signed_in(client):
    """Return a function that signs a user in on the test client, as the login page would."""

    def sign_in(user, password=PASSWORD):
        client.logout()  # the login page lets a signed-in user straight through
        response = client.post("/accounts/login/", {"username": user.national_id, "password": password})
        assert response.status_code == 302, response.content.decode()[:2000]
        return client

    return sign_in


class Download:
    """A file downloaded from an officer's exports, read to the end."""

    def __init__(self, response, export):
        self.status_code = response.status_code
        self.export = export
        self.headers = response.headers
        self.content = b"".join(response.streaming_content) if response.streaming else response.content

    def __getitem__(self, header):
        return self.headers[header]


@pytest.fixture
def export_file(django_capture_on_commit_callbacks):
    """Return a function that asks for an export as the page's button does (a POST to
    ``url`` with ``query`` in the query string), lets the worker make it (the outbox
    relays on commit, Celery eager), and downloads it. A refused request (403, 404,
    405) is returned as it is."""
    from urllib.parse import urlencode

    from django.urls import reverse

    def export(client, url, query=None):
        if query:
            url = f"{url}?{urlencode(query, doseq=True)}"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        if response.status_code != 302:
            return response
        made = client.get(response["Location"]).context["export"]
        assert made.state == made.State.READY, (made.state, made.error)
        return Download(client.get(reverse("exports:download", args=[made.pk])), made)

    return export


@pytest.fixture(autouse=True)
def thai_by_default():
    """Every test starts in the site's language. A request in English through the test client
    leaves English active in the test's thread (the middleware activates a language and
    nothing deactivates it), which a later test rendering outside a request would inherit."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def not_a_celery_worker():
    """An in-process Celery worker (``start_worker`` in tests/core/test_celery.py) marks the
    whole process as a worker for good, where a test's ``result.get()`` is refused as a task
    waiting on a task: every test starts as the web process it stands for."""
    from celery import _state

    _state._set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: pages reused for a few minutes (``core.memo.shared``)
    are keyed by ids, which a database rolled back hands out again to the next test. Each test
    process has its own cache (core/settings/test.py): this never empties the broker."""
    from django.core.cache import cache

    with contextlib.suppress(Exception):  # a test that takes Redis away must still start
        cache.clear()
