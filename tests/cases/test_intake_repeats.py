"""Intake submitted again, and the intake form's own checks.

Back after saving restores the typed form; saving it again must not file a
second case. The sub-category is required and reported with the other errors
on the first submit; an untouched form speaks of its fields, not of "forms".
"""

import uuid

import pytest
from django.urls import reverse

from cases.models import Complaint
from tests.cases.test_intake import form_data, other_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(alice, signed_in):
    return signed_in(alice)


def post(client, **overrides):
    return client.post(reverse("cases:intake"), form_data(**overrides), follow=True)


# --- 15: the same intake again ----------------------------------------------------------


def test_the_same_key_again_shows_the_case_already_recorded_with_a_warning(officer):
    key = str(uuid.uuid4())
    post(officer, submission_key=key)

    again = post(officer, submission_key=key)

    case = Complaint.objects.get()
    assert again.redirect_chain[-1][0] == case.get_absolute_url()
    assert f"บันทึกเรื่องนี้ไปแล้ว เลขที่รับ {case.number}" in again.content.decode()


def test_a_restored_form_with_a_fresh_key_does_not_file_a_second_case(officer):
    post(officer)

    again = post(officer)  # the same values, a new key: the page was fetched again

    case = Complaint.objects.get()
    assert again.status_code == 409
    html = again.content.decode()
    assert "บันทึกเรื่องนี้ไปแล้ว" in html
    assert case.get_absolute_url() in html
    assert again.context["duplicate"] == case


def test_the_officer_may_still_record_it_as_a_new_case(officer):
    post(officer)

    again = post(officer, confirm_duplicate="1")

    assert again.status_code == 200
    assert Complaint.objects.count() == 2


def test_another_subject_or_complainant_is_not_a_duplicate(officer):
    post(officer)

    post(officer, subject="ถนนชำรุดหน้าโรงเรียน")
    post(officer, **{"complainant-0-first_name": "มานี"})

    assert Complaint.objects.count() == 3


def test_another_officers_identical_case_is_not_hers(officer, alice, signed_in, geography):
    from tests.factories import UserFactory

    colleague = UserFactory(first_name="แคท", roles=["district_officer"], district="7001")
    post(signed_in(colleague))

    post(signed_in(alice))

    assert Complaint.objects.count() == 2


# --- 17: the form's own checks -----------------------------------------------------------


def test_the_sub_category_is_marked_required(officer):
    html = officer.get(reverse("cases:intake")).content.decode()

    assert 'for="id_category">ประเภทเรื่องย่อย <span class="text-danger"' in html


def test_a_missing_sub_category_is_reported_with_the_other_errors(officer):
    response = post(officer, category="", subject="")

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["category"] == ["กรุณาเลือกประเภทเรื่องย่อย"]
    assert "subject" in errors


def test_other_needs_no_sub_category(officer):
    other = other_category()

    response = post(officer, main_category=str(other.pk), category="", category_other_text="เรื่องเสียงดังยามวิกาล")

    assert response.status_code == 200
    assert Complaint.objects.get().category is None


def test_an_untouched_form_names_its_fields_not_a_count_of_forms(officer):
    response = officer.post(
        reverse("cases:intake"),
        {
            "submission_key": str(uuid.uuid4()),
            "complainant-TOTAL_FORMS": "1", "complainant-INITIAL_FORMS": "0",
            "complainant-MIN_NUM_FORMS": "1", "complainant-MAX_NUM_FORMS": "20",
            "respondent-TOTAL_FORMS": "0", "respondent-INITIAL_FORMS": "0",
            "respondent-MIN_NUM_FORMS": "0", "respondent-MAX_NUM_FORMS": "20",
        },
    )  # fmt: skip

    assert response.status_code == 400
    html = response.content.decode()
    assert "กรุณาส่งแบบฟอร์มอย่างน้อย" not in html
    assert "กรุณากรอกชื่อผู้ร้อง หรือเลือก “ไม่ประสงค์ออกนาม”" in html
    assert "กรุณาเลือกประเภทเรื่องย่อย" in html


def test_no_complainant_row_at_all_is_refused_in_thai(officer):
    response = post(
        officer,
        **{"complainant-TOTAL_FORMS": "0", "complainant-0-first_name": None, "complainant-0-last_name": None},
    )

    assert response.status_code == 400
    assert "ต้องมีผู้ร้องอย่างน้อยหนึ่งราย" in response.content.decode()
    assert not Complaint.objects.exists()


def test_rows_carry_a_remove_button(officer):
    html = officer.get(reverse("cases:intake")).content.decode()

    assert 'data-testid="remove-complainant"' in html
    assert "js/formset-rows.js" in html
