"""Input that once made a 500 gets a 400 or a form error in Thai, and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Complaint, Status
from core.forms import BuddhistDateField
from tests.cases.test_intake import form_data

pytestmark = pytest.mark.django_db


# --- Dates a calendar has but the system has no use for ------------------------------------------


@pytest.mark.parametrize("typed", ["9999-12-31", "31/12/9999", "0001-01-01", "31/12/2442", "01/01/2744"])
def test_a_date_field_refuses_years_out_of_range(typed):
    with pytest.raises(ValidationError) as excinfo:
        BuddhistDateField().clean(typed)
    assert excinfo.value.code == "year_out_of_range"
    assert excinfo.value.messages == ["ปี พ.ศ. ต้องอยู่ระหว่าง 2443 ถึง 2743"]


@pytest.mark.parametrize("typed", ["01/01/2443", "31/12/2743", "26/11/2569"])
def test_a_date_field_takes_the_years_in_range(typed):
    assert BuddhistDateField().clean(typed)


@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_audit_log_says_a_date_past_9998_is_out_of_range(signed_in, audrey, field):
    response = signed_in(audrey).get(reverse("audit:log"), {field: "9999-12-31"})
    assert response.status_code == 200
    assert "ปี พ.ศ. ต้องอยู่ระหว่าง 2443 ถึง 2743" in response.content.decode()


def test_the_case_history_as_of_a_date_past_9998_is_a_form_error(signed_in, audrey, new_case):
    response = signed_in(audrey).get(reverse("audit:case", args=[new_case.pk]), {"date": "9999-12-31"})
    assert response.status_code == 200
    assert "ปี พ.ศ. ต้องอยู่ระหว่าง 2443 ถึง 2743" in response.content.decode()


# --- The subdistricts of a district -------------------------------------------------------------


@pytest.mark.parametrize("district", ["\x00", "70\x0001", "7" * 10_000, "๗๐๐๑", "70 1", "-1"])
def test_a_malformed_district_code_is_a_bad_request(signed_in, alice, district):
    response = signed_in(alice).get(reverse("subdistricts"), {"district": district})
    assert response.status_code == 400
    assert response.json() == {"error": "รหัสอำเภอไม่ถูกต้อง", "subdistricts": []}


def test_a_district_code_lists_its_subdistricts(signed_in, alice):
    client = signed_in(alice)
    rows = client.get(reverse("subdistricts"), {"district": "7001"}).json()["subdistricts"]
    assert {"code": "700101", "name": "หน้าเมือง"} in rows
    assert client.get(reverse("subdistricts"), {"district": "9999"}).json() == {"subdistricts": []}
    assert client.get(reverse("subdistricts")).json() == {"subdistricts": []}


# --- The agency's reply -----------------------------------------------------------------------


@pytest.fixture
def forwarded(case_in):
    case = case_in(Status.FORWARDED)
    Complaint.objects.filter(pk=case.pk).update(received_on=timezone.localdate() - dt.timedelta(days=10))
    case.forwardings.update(letter_date=timezone.localdate() - dt.timedelta(days=5))
    return Complaint.objects.get(pk=case.pk)


def _reply(client, case, replied_on):
    url = reverse("cases:action", args=[case.pk, "agency_replied"])
    return client.post(url, {"expected_status": case.status, "reply": "ตรวจสอบแล้ว", "replied_on": replied_on})


@pytest.mark.parametrize(
    "replied_on, message",
    [
        ("0001-01-01", "ปี พ.ศ. ต้องอยู่ระหว่าง 2443 ถึง 2743"),
        ("01/01/2500", "วันที่ตอบต้องไม่ก่อนวันที่หนังสือส่งต่อ"),
        ("day-before-the-letter", "วันที่ตอบต้องไม่ก่อนวันที่หนังสือส่งต่อ"),
        ("tomorrow", "วันที่ตอบต้องไม่เป็นวันในอนาคต"),
    ],
)
def test_a_reply_dated_before_the_letter_or_in_the_future_is_a_form_error(
    signed_in, alice, forwarded, replied_on, message
):
    letter_date = forwarded.forwardings.get().letter_date
    typed = {
        "day-before-the-letter": (letter_date - dt.timedelta(days=1)).isoformat(),
        "tomorrow": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
    }.get(replied_on, replied_on)
    response = _reply(signed_in(alice), forwarded, typed)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert forwarded.forwardings.get().replied_on is None


def test_a_reply_on_the_letters_day_is_recorded(signed_in, alice, forwarded):
    letter_date = forwarded.forwardings.get().letter_date
    assert _reply(signed_in(alice), forwarded, letter_date.isoformat()).status_code == 302
    assert forwarded.forwardings.get().replied_on == letter_date


def test_a_letter_dated_before_the_case_was_received_is_refused(alice, new_case):
    with pytest.raises(ValidationError) as excinfo:
        services.case_forward(
            actor=alice, case=new_case, agency="อบต.", letter_number="1",
            letter_date=new_case.received_on - dt.timedelta(days=1),
        )  # fmt: skip
    assert "วันที่หนังสือต้องไม่ก่อนวันที่รับเรื่อง" in excinfo.value.message_dict["letter_date"][0]


# --- The intake's rows of complainants and respondents -----------------------------------------


@pytest.mark.parametrize("prefix", ["complainant", "respondent"])
def test_a_million_rows_claimed_build_at_most_twenty_forms(signed_in, alice, prefix, monkeypatch):
    from cases import forms as case_forms

    built = []
    for form_class in (case_forms.ComplainantForm, case_forms.RespondentForm):
        original = form_class.__init__

        def counting(self, *args, _original=original, **kwargs):
            built.append(type(self))
            _original(self, *args, **kwargs)

        monkeypatch.setattr(form_class, "__init__", counting)
    response = signed_in(alice).post(reverse("cases:intake"), form_data(**{f"{prefix}-TOTAL_FORMS": "1000000"}))
    assert response.status_code == 400
    assert "กรอกได้ไม่เกิน 20 รายการ" in response.content.decode()
    # The forms built: at most 20 of each formset, plus the empty row each page carries.
    assert len(built) <= 2 * 20 + 2
    assert not Complaint.objects.exists()


def test_twenty_one_complainants_are_refused_with_a_thai_message(signed_in, alice):
    rows = {}
    for index in range(21):
        rows |= {f"complainant-{index}-first_name": f"ผู้ร้อง{index}", f"complainant-{index}-title": "นาย"}
    response = signed_in(alice).post(reverse("cases:intake"), form_data(**{"complainant-TOTAL_FORMS": "21"}, **rows))
    assert response.status_code == 400
    assert "กรอกได้ไม่เกิน 20 รายการ" in response.content.decode()
    assert not Complaint.objects.exists()


# --- The admin --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/admin/core/user/%00/reset-password/", "/admin/core/user/%00/history/", "/admin/cases/team/abc/history/"],
)
def test_a_malformed_object_id_in_the_admin_is_not_found(signed_in, ada, path):
    assert signed_in(ada).get(path).status_code == 404


@pytest.mark.parametrize(
    "path, query",
    [
        ("/admin/axes/accesslog/", {"attempt_time__year": "99999999999999999999"}),
        (
            "/admin/axes/accessattempt/",
            {"attempt_time__year": "9999", "attempt_time__month": "12", "attempt_time__day": "31"},
        ),
        ("/admin/viewflow/process/", {"created__year": "99999999999999999999"}),
        ("/admin/viewflow/task/", {"created__year": "9999", "created__month": "12"}),
    ],
)
def test_a_date_hierarchy_past_the_calendar_is_a_wrong_filter(signed_in, ada, path, query):
    response = signed_in(ada).get(path, query)
    # The admin's own answer to a filter it cannot apply: back to the list with ?e=1.
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    "model_name, field_name", [("team", "subdistrict"), ("team", "leader"), ("user", "district"), ("user", "province")]
)
def test_an_autocomplete_term_with_a_nul_finds_nothing(signed_in, ada, model_name, field_name):
    app_label = "cases" if model_name == "team" else "core"
    query = {"term": "a\x00b", "app_label": app_label, "model_name": model_name, "field_name": field_name}
    response = signed_in(ada).get("/admin/autocomplete/", query)
    assert response.status_code == 200
    assert response.json()["results"] == []
