"""The action pages and what follows them: the outcome choice renders as
Bootstrap radios, a conflict keeps what was typed, and an action that takes
the case out of the user's sight lands on a page they may see."""

import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import Complaint, Status

pytestmark = pytest.mark.django_db


def action_url(case, action):
    return reverse("cases:action", args=[case.pk, action])


# --- 13: the outcome choice -----------------------------------------------------------


@pytest.mark.parametrize("action", ["propose_resolution", "approve_closure"])
def test_outcome_options_are_bootstrap_radios_with_labels_for_their_inputs(action, case_in, harry, tom, signed_in):
    case = case_in(Status.INVESTIGATING if action == "propose_resolution" else Status.RESOLUTION_PENDING)
    client = signed_in(tom if action == "propose_resolution" else harry)

    html = client.get(action_url(case, action)).content.decode()

    wrapper = re.search(r'<div id="id_outcome"[^>]*>', html).group(0)
    assert "form-check-input" not in wrapper
    inputs = re.findall(r'<input type="radio" name="outcome"[^>]*>', html)
    assert len(inputs) >= 3
    for index, tag in enumerate(inputs):
        assert f'id="id_outcome_{index}"' in tag
        assert 'class="form-check-input"' in tag
        assert f'<label class="form-check-label" for="id_outcome_{index}">' in html
    assert 'for=""' not in html
    # The question is a legend of the group, marked required like the other fields.
    assert re.search(r"<legend[^>]*>ผลการดำเนินการ <span class=\"text-danger\"", html)


def test_the_proposed_outcome_is_checked_on_the_closure_approval(case_in, harry, signed_in):
    case = case_in(Status.RESOLUTION_PENDING)

    html = signed_in(harry).get(action_url(case, "approve_closure")).content.decode()

    checked = re.search(r'<input type="radio" name="outcome" value="resolved"[^>]*>', html).group(0)
    assert "checked" in checked


# --- 25: a conflict keeps what was typed ------------------------------------------------


def test_a_conflict_keeps_the_heads_typed_reason(case_in, harry, signed_in):
    case = case_in(Status.RECEIVED)
    client = signed_in(harry)
    # Someone else moved the case after Harry opened the form.
    Complaint.objects.filter(pk=case.pk).update(status=Status.ASSIGNMENT_PENDING)
    reason = "ผู้ร้องขอถอนเรื่องทางโทรศัพท์ บันทึกไว้ยาวพอสมควร"

    response = client.post(action_url(case, "reject"), {"expected_status": Status.RECEIVED, "reason": reason})

    assert response.status_code == 400
    html = response.content.decode()
    assert "มีผู้ดำเนินการไปก่อนแล้ว" in html
    assert reason in html
    # The form now carries the status the head was just told of.
    assert response.context["form"]["expected_status"].value() == Status.ASSIGNMENT_PENDING
    assert Complaint.objects.get(pk=case.pk).status == Status.ASSIGNMENT_PENDING


# --- 14: out of sight after the action ----------------------------------------------------


def test_after_a_transfer_the_head_lands_on_the_case_list_with_the_message(case_in, harry, ban_pong, signed_in):
    case = case_in(Status.RECEIVED)
    client = signed_in(harry)

    response = client.post(
        action_url(case, "transfer"),
        {"expected_status": Status.RECEIVED, "district": ban_pong.pk, "reason": "เกิดเหตุในอำเภอบ้านโป่ง"},
        follow=True,
    )

    assert response.redirect_chain[-1] == (reverse("cases:list"), 302)
    assert response.status_code == 200
    html = response.content.decode()
    assert "บันทึก “โอนเรื่องไปอำเภออื่น” แล้ว" in html
    assert f"เรื่อง {case.number} ไม่อยู่ในความรับผิดชอบของคุณแล้ว" in html


def test_a_visible_case_still_lands_on_its_page(case_in, harry, signed_in):
    case = case_in(Status.RECEIVED)

    response = signed_in(harry).post(action_url(case, "reject"), {"expected_status": Status.RECEIVED, "reason": "ซ้ำ"})

    assert response.url == case.get_absolute_url()


def test_the_recording_officers_old_link_says_where_the_case_went(case_in, alice, harry, ban_pong, signed_in):
    case = case_in(Status.RECEIVED)
    services.case_transfer(actor=harry, case=case, district=ban_pong, reason="เกิดเหตุในอำเภอบ้านโป่ง")

    response = signed_in(alice).get(case.get_absolute_url())

    assert response.status_code == 404
    html = response.content.decode()
    assert "โอนไปยังศูนย์ดำรงธรรมอำเภอบ้านโป่ง" in html
    assert case.subject not in html
    assert reverse("cases:list") in html


def test_a_case_never_held_is_a_plain_thai_not_found(case_in, bob, signed_in):
    case = case_in(Status.RECEIVED)

    response = signed_in(bob).get(case.get_absolute_url())

    assert response.status_code == 404
    html = response.content.decode()
    assert "ไม่พบเรื่องร้องเรียน" in html
    assert case.number not in html and case.subject not in html
