"""A key in a URL is a number a key column can hold; a longer one is no page (404), on
SQLite as on PostgreSQL (it was a 500 on SQLite: OverflowError binding the number)."""

import pytest
from django.urls import Resolver404, resolve, reverse


def test_a_key_of_up_to_18_digits_resolves():
    assert resolve("/cases/123456789012345678/").kwargs == {"pk": 123456789012345678}
    assert reverse("cases:detail", args=[7]) == "/cases/7/"


def test_a_longer_number_is_no_page():
    with pytest.raises(Resolver404):
        resolve("/cases/99999999999999999999/")


@pytest.mark.django_db
def test_a_longer_number_answers_not_found(signed_in, alice):
    assert signed_in(alice).get("/cases/99999999999999999999/").status_code == 404
