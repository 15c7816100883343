"""Recording a complaint through the intake page, as an officer at the counter would.

Every refusal keeps what was typed, says in Thai what to fix, answers 400 and
saves nothing; every acceptance gives the next running number of the
district's fiscal year and lands on the case page.
"""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases import services
from cases.codes import ALPHABET
from cases.models import CaseEvent, Category, Complainant, Complaint, RunningNumber, Status
from core.thai import fiscal_year_be, fiscal_year_start, format_be_input, make_national_id, to_thai_digits

SUBJECT = "บุกรุกที่สาธารณะริมคลองหนองหว้า"
DESCRIPTION = "มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลอง ทำให้น้ำระบายไม่ได้"
VALID_ID = make_national_id("310170020345")
THAI_LETTERS = re.compile("[\u0e01-\u0e2e]")


def land_category():
    return Category.objects.get(name_th="บุกรุกที่ดินสาธารณประโยชน์")


def other_category():
    return Category.objects.get(parent__isnull=True, is_other=True)


def form_data(**overrides):
    """A complete, valid intake form as the browser posts it; ``None`` drops a field."""
    sub = land_category()
    data = {
        "submission_key": str(uuid.uuid4()),
        "received_on": format_be_input(timezone.localdate()),
        "channel": "walk_in",
        "main_category": str(sub.parent_id),
        "category": str(sub.pk),
        "category_other_text": "",
        "subject": SUBJECT,
        "description": DESCRIPTION,
        "incident_district": "7001",
        "incident_subdistrict": "700101",
        "incident_address": "ริมคลองหนองหว้า หมู่ 3",
        "latitude": "",
        "longitude": "",
        "complainant-TOTAL_FORMS": "1",
        "complainant-INITIAL_FORMS": "0",
        "complainant-MIN_NUM_FORMS": "1",
        "complainant-MAX_NUM_FORMS": "20",
        "complainant-0-national_id": "",
        "complainant-0-title": "นาง",
        "complainant-0-first_name": "สมใจ",
        "complainant-0-last_name": "ทองดี",
        "complainant-0-phone": "0812345678",
        "complainant-0-address": "",
        "respondent-TOTAL_FORMS": "1",
        "respondent-INITIAL_FORMS": "0",
        "respondent-MIN_NUM_FORMS": "0",
        "respondent-MAX_NUM_FORMS": "20",
        "respondent-0-kind": "person",
        "respondent-0-name": "นายสมหมาย ใจร้าย",
        "respondent-0-position": "",
        "respondent-0-national_id": "",
        "respondent-0-address": "",
        "respondent-0-phone": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def counts():
    return Complaint.objects.count(), Complainant.objects.count(), RunningNumber.objects.count()


def post_intake(client, **overrides):
    return client.post(reverse("cases:intake"), form_data(**overrides))


def only_case() -> Complaint:
    assert Complaint.objects.count() == 1
    return Complaint.objects.get()


@pytest.fixture
def officer(alice, signed_in):
    """Alice's signed-in client."""
    return signed_in(alice)


@pytest.fixture
def as_user(client, signed_in):
    """Sign the test client in as someone else.

    The login page sends a signed-in user on without signing anyone in
    (redirect_authenticated_user), so the previous user must sign out first.
    """

    def switch(user):
        client.logout()
        return signed_in(user)

    return switch


# --- A valid intake -------------------------------------------------------------------


def test_valid_intake_creates_the_case_and_shows_it(officer, alice):
    today = timezone.localdate()
    fiscal_year = fiscal_year_be(today)

    response = post_intake(officer)

    case = only_case()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.district_id == "7001" and case.province_id == "70"
    assert case.running_number == 1
    assert case.fiscal_year == fiscal_year
    assert case.number == f"7001/{fiscal_year}/000001"
    assert len(case.tracking_code) == 26 and set(case.tracking_code) <= set(ALPHABET)
    assert case.received_on == today
    assert case.due_on == today + dt.timedelta(days=land_category().closure_days)
    assert case.status == Status.RECEIVED
    assert case.recorded_by == alice
    assert case.subject == SUBJECT and case.description == DESCRIPTION
    assert case.category == land_category() and case.main_category == land_category().parent
    assert [p.full_name for p in case.complainants.all()] == ["นางสมใจ ทองดี"]
    assert [p.name for p in case.respondents.all()] == ["นายสมหมาย ใจร้าย"]
    events = list(CaseEvent.objects.filter(complaint=case))
    assert [(e.action, e.to_status, e.actor) for e in events] == [("intake", Status.RECEIVED, alice)]
    history = case.history.all()
    assert history.count() == 1
    assert history.get().history_change_reason == "intake"
    assert history.get().history_user == alice

    page = officer.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html
    assert SUBJECT in html
    assert case.tracking_code_display in html


def test_running_numbers_follow_each_fiscal_year(officer):
    today = timezone.localdate()
    fiscal_year = fiscal_year_be(today)
    last_year_day = fiscal_year_start(fiscal_year) - dt.timedelta(days=1)

    for index, received_on in enumerate((today, today, last_year_day, today)):
        # Four complaints, not one sent four times (that would be a duplicate).
        response = post_intake(officer, received_on=format_be_input(received_on), subject=f"{SUBJECT} {index}")
        assert response.status_code == 302, response.content.decode()[:3000]

    numbers = [c.number for c in Complaint.objects.order_by("pk")]
    assert numbers == [
        f"7001/{fiscal_year}/000001",
        f"7001/{fiscal_year}/000002",
        f"7001/{fiscal_year - 1}/000001",
        f"7001/{fiscal_year}/000003",
    ]
    back_dated = Complaint.objects.get(fiscal_year=fiscal_year - 1)
    assert back_dated.received_on == last_year_day
    assert dict(RunningNumber.objects.values_list("fiscal_year", "last")) == {fiscal_year: 3, fiscal_year - 1: 1}


def test_the_same_form_posted_twice_creates_one_case(officer):
    data = form_data()

    first = officer.post(reverse("cases:intake"), data)
    second = officer.post(reverse("cases:intake"), data)

    case = only_case()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == case.get_absolute_url()
    assert case.running_number == 1
    assert RunningNumber.objects.get().last == 1


def test_get_shows_an_empty_form_with_a_fresh_submission_key(officer):
    response = officer.get(reverse("cases:intake"))

    assert response.status_code == 200
    form = response.context["form"]
    assert isinstance(form.initial["submission_key"], uuid.UUID)
    html = response.content.decode()
    assert 'name="submission_key"' in html
    assert format_be_input(timezone.localdate()) in html


# --- Refusals -------------------------------------------------------------------------


def _today():
    return timezone.localdate()


def django_message(name):
    """Django's own message, as the Thai catalogue words it today (the wording
    of the third-party catalogue is not this test's business)."""
    from django import forms
    from django.forms.formsets import BaseFormSet

    with translation.override("th"):
        message = {
            "required": lambda: str(forms.Field.default_error_messages["required"]),
            "too_few_forms": lambda: str(BaseFormSet.default_error_messages["too_few_forms"] % {"num": 1}),
        }[name]()
    assert THAI_LETTERS.search(message), message
    return message


REFUSALS = {
    "missing subject": ({"subject": "   "}, lambda: django_message("required"), DESCRIPTION),
    "missing description": ({"description": ""}, lambda: django_message("required"), SUBJECT),
    "future date": (
        {"received_on": lambda: format_be_input(_today() + dt.timedelta(days=1))},
        "วันที่รับเรื่องต้องไม่เป็นวันในอนาคต",
        SUBJECT,
    ),
    "before the previous fiscal year": (
        {"received_on": lambda: format_be_input(services.earliest_received_on(_today()) - dt.timedelta(days=1))},
        "ย้อนหลังได้ไม่เกินวันเริ่มปีงบประมาณที่แล้ว",
        SUBJECT,
    ),
    "gregorian year": ({"received_on": "26/11/2026"}, "กรุณากรอกปีเป็นพุทธศักราช", SUBJECT),
    "bad national id check digit": (
        {"complainant-0-national_id": VALID_ID[:12] + str((int(VALID_ID[12]) + 1) % 10)},
        "หลักสุดท้าย (หลักตรวจสอบ) ไม่ตรง",
        SUBJECT,
    ),
    "other category without text": (
        {"main_category": lambda: str(other_category().pk), "category": ""},
        "ประเภท “เรื่องอื่นๆ” ต้องระบุรายละเอียดประเภทเรื่อง",
        SUBJECT,
    ),
    "sub-category under another main category": (
        {"main_category": lambda: str(Category.objects.get(parent__isnull=True, name_th="หนี้สิน").pk)},
        "ประเภทเรื่องย่อยนี้ไม่อยู่ใต้ประเภทเรื่องหลักที่เลือก",
        SUBJECT,
    ),
    "no sub-category": ({"category": ""}, "กรุณาเลือกประเภทเรื่องย่อย", SUBJECT),
    "subdistrict not in the district": ({"incident_subdistrict": "700501"}, "ตำบลนี้ไม่อยู่ในอำเภอที่เลือก", SUBJECT),
    "latitude without longitude": (
        {"latitude": "13.536530"},
        "กรุณากรอกทั้งละติจูดและลองจิจูด หรือเว้นว่างทั้งคู่",
        SUBJECT,
    ),
    "complainant without a name": (
        {"complainant-0-title": "", "complainant-0-first_name": "", "complainant-0-last_name": " "},
        "กรุณากรอกชื่อผู้ร้อง หรือเลือก “ไม่ประสงค์ออกนาม”",
        SUBJECT,
    ),
    "no complainant": (
        {
            "complainant-TOTAL_FORMS": "0",
            **{f"complainant-0-{name}": None for name in ("title", "first_name", "last_name", "phone")},
        },
        # In Thai, from the service: not Django's "submit at least 1 form".
        "ต้องมีผู้ร้องอย่างน้อยหนึ่งราย (เลือก “ไม่ประสงค์ออกนาม” ได้)",
        SUBJECT,
    ),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_bad_input_is_refused_with_the_typed_values_kept(officer, case):
    overrides, message, kept = case
    overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
    message = message() if callable(message) else message
    before = counts()

    response = post_intake(officer, **overrides)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html, _errors(response)
    assert "ยังบันทึกไม่ได้ กรุณาแก้ไขช่องที่มีข้อความสีแดง" in html
    assert kept in html
    assert counts() == before


def test_refused_form_keeps_the_submission_key_and_complainant_fields(officer):
    key = str(uuid.uuid4())

    response = post_intake(officer, submission_key=key, subject="", **{"complainant-0-first_name": "มานี"})

    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{key}"' in html
    assert 'value="มานี"' in html
    assert 'value="ทองดี"' in html
    assert "นายสมหมาย ใจร้าย" in html

    fixed = post_intake(officer, submission_key=key)
    assert fixed.status_code == 302
    assert str(only_case().submission_key) == key


def _errors(response):
    context = response.context
    return {
        "form": context["form"].errors,
        "complainants": [f.errors for f in context["complainants"].forms] + [context["complainants"].non_form_errors()],
        "respondents": [f.errors for f in context["respondents"].forms],
    }


# --- Accepted variants ----------------------------------------------------------------


def test_other_category_with_free_text_is_accepted(officer):
    response = post_intake(
        officer,
        main_category=str(other_category().pk),
        category=str(land_category().pk),  # left over from an earlier choice; ignored
        category_other_text="  ขอให้ตรวจสอบการจัดงานประเพณีในหมู่บ้าน  ",
    )

    assert response.status_code == 302, _errors(response)
    case = only_case()
    assert case.main_category == other_category()
    assert case.category is None
    assert case.category_other_text == "ขอให้ตรวจสอบการจัดงานประเพณีในหมู่บ้าน"
    assert case.due_on == case.received_on + dt.timedelta(days=other_category().closure_days)
    assert "ขอให้ตรวจสอบการจัดงานประเพณีในหมู่บ้าน" in officer.get(response.url).content.decode()


def test_anonymous_complainant_is_accepted(officer):
    response = post_intake(
        officer,
        **{
            "complainant-0-is_anonymous": "on",
            "complainant-0-title": "",
            "complainant-0-first_name": "",
            "complainant-0-last_name": "",
            "complainant-0-phone": "",
        },
    )

    assert response.status_code == 302, _errors(response)
    person = only_case().complainants.get()
    assert person.is_anonymous
    assert person.full_name == "ไม่ประสงค์ออกนาม"
    assert "ไม่ประสงค์ออกนาม" in officer.get(response.url).content.decode()


def test_national_id_in_thai_digits_is_stored_normalised(officer):
    typed = to_thai_digits(f"{VALID_ID[0]}-{VALID_ID[1:5]}-{VALID_ID[5:10]}-{VALID_ID[10:12]}-{VALID_ID[12]}")

    response = post_intake(officer, **{"complainant-0-national_id": typed})

    assert response.status_code == 302, _errors(response)
    assert only_case().complainants.get().national_id == VALID_ID


def test_non_thai_complainant_without_national_id_is_accepted(officer):
    response = post_intake(
        officer,
        **{
            "complainant-0-title": "Mr.",
            "complainant-0-first_name": "Aung",
            "complainant-0-last_name": "Kyaw",
            "complainant-0-national_id": "",
        },
    )

    assert response.status_code == 302, _errors(response)
    person = only_case().complainants.get()
    assert (person.first_name, person.last_name, person.national_id) == ("Aung", "Kyaw", "")


def test_latitude_and_longitude_together_are_accepted(officer):
    response = post_intake(officer, latitude="13.536530", longitude="99.817130")

    assert response.status_code == 302, _errors(response)
    case = only_case()
    assert (str(case.latitude), str(case.longitude)) == ("13.536530", "99.817130")


def test_several_complainants_and_no_respondent(officer):
    response = post_intake(
        officer,
        **{
            "complainant-TOTAL_FORMS": "2",
            "complainant-1-first_name": "สมศรี",
            "complainant-1-last_name": "มีสุข",
            "respondent-TOTAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, _errors(response)
    case = only_case()
    assert sorted(p.first_name for p in case.complainants.all()) == ["สมศรี", "สมใจ"]
    assert not case.respondents.exists()


# --- Where the incident happened ------------------------------------------------------


def test_incident_in_another_district_is_accepted_with_a_transfer_hint(officer, harry, as_user):
    response = post_intake(officer, incident_district="7005", incident_subdistrict="700501")

    assert response.status_code == 302, _errors(response)
    case = only_case()
    assert case.district_id == "7001"
    assert case.incident_subdistrict_id == "700501"
    assert case.number.startswith("7001/")

    transfer_url = reverse("cases:action", args=[case.pk, "transfer"])
    alice_page = officer.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="transfer-hint"' in alice_page
    assert "อำเภอบ้านโป่ง" in alice_page
    assert transfer_url not in alice_page  # only the head transfers

    response = as_user(harry).get(case.get_absolute_url())
    assert response.context["user"] == harry
    harry_page = response.content.decode()
    assert 'data-testid="transfer-hint"' in harry_page
    assert f'href="{transfer_url}"' in harry_page


def test_incident_in_the_own_district_shows_no_transfer_hint(officer):
    response = post_intake(officer)

    assert 'data-testid="transfer-hint"' not in officer.get(response.url).content.decode()


# --- Who may record complaints --------------------------------------------------------


def test_bob_records_complaints_for_his_own_district(bob, signed_in):
    client = signed_in(bob)

    page = client.get(reverse("cases:intake"))
    assert page.status_code == 200
    assert "อำเภอบ้านโป่ง" in page.content.decode()

    response = client.post(reverse("cases:intake"), form_data(incident_district="7005", incident_subdistrict="700501"))

    assert response.status_code == 302, _errors(response)
    case = only_case()
    assert case.district_id == "7005" and case.province_id == "70"
    assert case.number == f"7005/{fiscal_year_be(timezone.localdate())}/000001"
    assert case.recorded_by == bob
    assert 'data-testid="transfer-hint"' not in client.get(response.url).content.decode()


@pytest.mark.parametrize("person", ["harry", "paula", "audrey"])
def test_people_who_are_not_district_officers_may_not_record(person, request, signed_in):
    client = signed_in(request.getfixturevalue(person))

    assert client.get(reverse("cases:intake")).status_code == 403
    assert client.post(reverse("cases:intake"), form_data()).status_code == 403
    assert counts() == (0, 0, 0)


def test_intake_needs_sign_in(client, geography, db):
    response = client.get(reverse("cases:intake"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Confidential complainants --------------------------------------------------------

SECRET_FIRST, SECRET_LAST = "วิไลวรรณ", "ซ่อนนามสกุล"


def test_confidential_complainant_is_shown_only_to_those_responsible(officer, alice, harry, tom, team, as_user):
    response = post_intake(
        officer,
        **{
            "complainant-0-is_confidential": "on",
            "complainant-0-title": "นางสาว",
            "complainant-0-first_name": SECRET_FIRST,
            "complainant-0-last_name": SECRET_LAST,
            "complainant-0-national_id": VALID_ID,
            "respondent-0-kind": "official",
            "respondent-0-name": "นายเจ้าหน้าที่ ทุจริต",
        },
    )
    assert response.status_code == 302, _errors(response)
    case = only_case()
    assert case.complainants.get().is_confidential

    for person in (alice, harry):
        page = as_user(person).get(case.get_absolute_url())
        assert page.context["user"] == person
        html = page.content.decode()
        assert f"นางสาว{SECRET_FIRST} {SECRET_LAST}" in html, person
        assert "ปกปิดข้อมูลผู้ร้อง" in html, person  # the badge that warns them

    services.case_propose_assignment(actor=alice, case=case, team=team)
    services.case_approve_assignment(actor=harry, case=case)

    page = as_user(tom).get(case.get_absolute_url())
    assert page.status_code == 200
    assert page.context["user"] == tom
    html = page.content.decode()
    assert "ปกปิดข้อมูลผู้ร้อง" in html
    assert SECRET_FIRST not in html
    assert SECRET_LAST not in html
    assert VALID_ID not in html and VALID_ID[1:5] not in html
    assert "นายเจ้าหน้าที่ ทุจริต" in html  # the rest of the case is there

    case.refresh_from_db()
    assert SECRET_FIRST not in case.search_vector
    assert SECRET_LAST not in case.search_vector
    assert VALID_ID not in case.search_vector
    assert "ทุจริต" in case.search_vector
