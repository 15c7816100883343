"""What was entered shows on the case page, every page has its own tab title,
and search finds a case by a national ID as people type it and by its tracking code."""

import re

import pytest
from django.urls import reverse

from cases.models import Attachment
from cases.selectors import CaseFilters, filtered_cases
from cases.services import ComplainantData, RespondentData, case_intake
from core.thai import format_national_id, make_national_id, to_thai_digits
from tests.case_fixtures import intake_data

pytestmark = pytest.mark.django_db

COMPLAINANT_ID = make_national_id("370010012345")
RESPONDENT_ID = make_national_id("170010055555")
DASHED = "-".join(
    [COMPLAINANT_ID[0], COMPLAINANT_ID[1:5], COMPLAINANT_ID[5:10], COMPLAINANT_ID[10:12], COMPLAINANT_ID[12]]
)


@pytest.fixture
def case(alice):
    case, _ = case_intake(
        actor=alice,
        district=alice.district,
        data=intake_data(
            complainants=[ComplainantData(first_name="สมใจ", last_name="ทองดี", national_id=COMPLAINANT_ID)],
            respondents=[
                RespondentData(kind="person", name="นายสมหมาย ใจร้าย", phone="032 111 222", national_id=RESPONDENT_ID)
            ],
        ),
    )
    return case


def test_the_respondents_phone_and_id_are_on_the_case_page(case, alice, signed_in):
    html = signed_in(alice).get(case.get_absolute_url()).content.decode()

    assert "032 111 222" in html
    assert format_national_id(RESPONDENT_ID) in html


def test_the_attachment_description_is_on_the_case_page(case, alice, signed_in):
    Attachment.objects.create(
        complaint=case, kind="document", file="cases/x/a.pdf", original_name="หนังสือ.pdf",
        content_type="application/pdf", size=10, sha256="0" * 64, description="สำเนาโฉนดที่ดิน", uploaded_by=alice,
    )  # fmt: skip

    html = signed_in(alice).get(case.get_absolute_url()).content.decode()

    assert "สำเนาโฉนดที่ดิน" in html


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_each_page_has_its_own_title_before_the_system_name(case, alice, signed_in):
    client = signed_in(alice)

    assert title(client.get(case.get_absolute_url())) == f"{case.number} — ระบบรับเรื่องร้องเรียนร้องทุกข์ ศูนย์ดำรงธรรม"
    assert title(client.get(reverse("cases:intake"))).startswith("รับเรื่องร้องเรียน — ระบบ")
    assert title(client.get(reverse("home"))).startswith("หน้าหลัก — ระบบ")


@pytest.mark.parametrize(
    "typed",
    [
        COMPLAINANT_ID,
        DASHED,
        DASHED.replace("-", " "),
        to_thai_digits(DASHED),
        f" {DASHED} ",
    ],
)
def test_a_national_id_is_found_as_people_type_it(typed, case, alice):
    assert list(filtered_cases(alice, CaseFilters(query=typed))) == [case]


def test_a_tracking_code_is_found_as_people_type_it(case, alice, signed_in):
    typed = case.tracking_code_display.lower()

    assert list(filtered_cases(alice, CaseFilters(query=typed))) == [case]
    assert list(filtered_cases(alice, CaseFilters(query=case.tracking_code))) == [case]
    response = signed_in(alice).get(reverse("cases:list"), {"q": typed})
    assert case.number in response.content.decode()


def test_a_tracking_code_finds_nothing_out_of_scope(case, bob):
    assert list(filtered_cases(bob, CaseFilters(query=case.tracking_code_display))) == []


def test_the_admin_home_says_there_is_nothing_in_thai(ada, signed_in):
    html = signed_in(ada).get(reverse("admin:index")).content.decode()

    assert "ไม่มีรายการ" in html
    assert "ไม่ว่าง" not in html


def test_the_as_of_form_with_a_time_but_no_date_says_the_date_is_missing(case, audrey, signed_in):
    response = signed_in(audrey).get(reverse("audit:case", args=[case.pk]), {"time": "08:15"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_bound and "date" in form.errors
    assert response.context["as_of"] is None
