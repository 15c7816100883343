"""Shared fixtures: the Thai geography, signing in, and (loaded from
``tests/cast.py``) the people of the stories the tests tell, with their teams."""

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
