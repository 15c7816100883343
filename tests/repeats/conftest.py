"""Fixtures of the repeat complaints' tests (shared by their files: append, keep generic)."""

import pytest

from cases.models import Category
from cases.services import ComplainantData, RespondentData, case_intake
from core.models import Subdistrict
from tests.case_fixtures import intake_data


def person(first="", last="", **fields) -> ComplainantData:
    """A complainant as the intake form gives it: ``person("สมชาย", "ทองดี", phone=...)``."""
    return ComplainantData(first_name=first, last_name=last, **fields)


def party(name, kind="person", **fields) -> RespondentData:
    """A respondent as the intake form gives it: ``party("บจก. ก้าวหน้า", "company")``."""
    return RespondentData(kind=kind, name=name, **fields)


@pytest.fixture
def record():
    """Record a complaint through the intake service, as ``officer`` at their district:
    ``record(alice, complainants=[person(...)], subject=..., subdistrict="700101",
    category="เสียงดัง")``; the other fields are ``tests.case_fixtures.intake_data``'s."""

    def make(officer, *, subdistrict=None, category=None, **overrides):
        if subdistrict:
            overrides["incident_subdistrict"] = Subdistrict.objects.get(code=subdistrict)
        if category:
            sub = Category.objects.get(name_th=category)
            overrides.update(main_category=sub.parent, category=sub)
        case, _ = case_intake(actor=officer, district=officer.district, data=intake_data(**overrides))
        return case

    return make


def case_page(client, case, query: str = "") -> str:
    """The case's page as the officer reads it once its repeats panel has come (the page
    fetches it from repeats:case_panel after it is shown)."""
    from django.urls import reverse

    page = client.get(case.get_absolute_url() + query).content.decode()
    return page + client.get(reverse("repeats:case_panel", args=[case.pk])).content.decode()
