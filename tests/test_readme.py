"""README's promises: the demo accounts it lists exist, sign in, and are valid."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.demo import DEMO_ACCOUNTS
from core.models import User
from core.thai import normalize_national_id

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_opens_with_make_run_and_make_test():
    first_block = README.split("```")[1]
    assert re.search(r"^make run\b", first_block, re.M)
    assert re.search(r"^make test\b", first_block, re.M)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.national_id)
def test_readme_lists_every_demo_account(account):
    assert normalize_national_id(account.national_id, officer=True) == account.national_id
    assert f"`{account.national_id}` | `{account.password}`" in README


@pytest.mark.django_db
def test_every_demo_account_signs_in(client, geography, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    call_command("load_demo_cases", verbosity=0)
    call_command("load_demo_cases", verbosity=0)  # idempotent
    # The accounts certified through the registration workflow keep their roles, positions
    # and passwords (accounts/demo.py); two forms wait or came back.
    call_command("load_demo_registrations", verbosity=0)
    call_command("load_demo_registrations", verbosity=0)  # idempotent
    from accounts.models import Registration
    from cases.models import Complaint, Status

    assert sorted(Registration.objects.values_list("state", flat=True)) == ["certified"] * 8 + ["returned", "waiting"]

    for district in ("7001", "7005"):
        states = set(Complaint.objects.filter(district_id=district).values_list("status", flat=True))
        assert states == set(Status.values), district  # every state, in both districts
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    for account in DEMO_ACCOUNTS:
        response = client.post(reverse("login"), {"username": account.national_id, "password": account.password})
        assert response.status_code == 302, account.national_id
        home = client.get(reverse("home"))
        expected = 302 if account.must_change_password else 200
        assert home.status_code == expected, account.national_id
        user = User.objects.get(national_id=account.national_id)
        assert sorted(user.role_codes) == sorted(account.roles)
        assert user.position == account.position
        client.post(reverse("logout"))


@pytest.mark.django_db
def test_demo_data_is_refused_without_debug(geography, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", verbosity=0)
