"""The province → district picker (core.forms.DistrictField) and the districts of a
province it loads (/geo/districts/): one province's districts at a time, and a
district outside the chosen province is refused in Thai."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.forms import DistrictField, areas
from core.models import District, Province

pytestmark = pytest.mark.django_db


# --- The districts of a province --------------------------------------------------------------


def test_a_province_code_lists_its_districts(signed_in, alice):
    client = signed_in(alice)

    rows = client.get(reverse("districts"), {"province": "70"}).json()["districts"]

    assert {"code": "7005", "name": "บ้านโป่ง"} in rows
    assert sorted(row["code"] for row in rows) == sorted(
        District.objects.filter(province_id="70").values_list("code", flat=True)
    )
    assert client.get(reverse("districts"), {"province": "99"}).json() == {"districts": []}
    assert client.get(reverse("districts")).json() == {"districts": []}


def test_the_districts_are_in_thai_dictionary_order(signed_in, alice):
    rows = signed_in(alice).get(reverse("districts"), {"province": "50"}).json()["districts"]
    names = [row["name"] for row in rows]

    # A leading vowel does not count: เมืองเชียงใหม่ comes under ม, after ฝาง, not after the last consonant.
    assert names.index("ฝาง") < names.index("เมืองเชียงใหม่") < names.index("แม่ริม")


@pytest.mark.parametrize("province", ["\x00", "7\x00", "7" * 10_000, "๗๐", "7", "700", "-1", " 70"])
def test_a_malformed_province_code_is_a_bad_request(signed_in, alice, province):
    response = signed_in(alice).get(reverse("districts"), {"province": province})

    assert response.status_code == 400
    assert response.json() == {"error": "รหัสจังหวัดไม่ถูกต้อง", "districts": []}


def test_the_districts_are_for_signed_in_officers_only(client, geography):
    response = client.get(reverse("districts"), {"province": "70"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- The field ------------------------------------------------------------------------------


class AreaForm(forms.Form):
    district = DistrictField(label="อำเภอ")


class OptionalAreaForm(forms.Form):
    district = DistrictField(label="อำเภอ", required=False)


class FilterForm(forms.Form):
    district = DistrictField(label="พื้นที่", required=False, whole_province=True)


def errors(form) -> list[str]:
    assert not form.is_valid()
    return form.errors["district"]


def test_a_district_of_the_chosen_province_is_taken(geography):
    form = AreaForm({"district_province": "70", "district": "7005"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["district"] == District.objects.get(code="7005")


def test_a_district_given_alone_brings_its_province(geography):
    # What the pages posted before the picker, and what a script may post still.
    form = AreaForm({"district": "7005"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["district"].code == "7005"


def test_a_district_outside_the_chosen_province_is_refused(geography):
    assert errors(AreaForm({"district_province": "71", "district": "7005"})) == ["อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก"]


def test_a_province_without_its_district_asks_for_the_district(geography):
    form = AreaForm({"district_province": "71", "district": ""})

    assert errors(form) == ["กรุณาเลือกอำเภอในจังหวัดที่เลือก"]
    # Without a script this is how the district list changes: the form comes back with the province's districts.
    html = str(form["district"])
    assert 'value="7101"' in html
    assert 'value="7005"' not in html


def test_nothing_chosen_on_a_required_field(geography):
    assert errors(AreaForm({})) == ["กรุณาเลือกจังหวัดและอำเภอ"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"district_province": "99", "district": ""}, "ไม่พบจังหวัดที่เลือก"),
        ({"district_province": "\x00", "district": ""}, "ไม่พบจังหวัดที่เลือก"),
        ({"district_province": "70", "district": "7099"}, "ไม่พบอำเภอที่เลือก"),
        ({"district": "70\x0001"}, "ไม่พบอำเภอที่เลือก"),
        ({"district": "๗๐๐๕"}, "ไม่พบอำเภอที่เลือก"),
    ],
)
def test_codes_that_do_not_exist_are_refused_in_thai(geography, data, message):
    assert errors(AreaForm(data)) == [message]


def test_an_optional_field_lets_a_province_alone_go(geography):
    # The share form: a province touched, then an officer's ID typed instead of a district.
    form = OptionalAreaForm({"district_province": "70", "district": ""})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["district"] is None


def test_a_filter_takes_a_whole_province(geography):
    form = FilterForm({"district_province": "71", "district": ""})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["district"] == Province.objects.get(code="71")
    assert FilterForm({}).is_valid()


def test_a_fixed_province_offers_only_its_districts_and_refuses_others(geography):
    form = FilterForm({"district_province": "71", "district": "7101"})
    form.fields["district"].limit_to("70")

    assert errors(form) == ["อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก"]
    html = str(form["district"])
    assert 'name="district_province"' not in html
    assert 'value="7005"' in html and 'value="7101"' not in html


def test_the_picker_renders_one_province_of_districts(geography):
    html = str(AreaForm(initial={"district": "7005"})["district"])

    assert html.count("<option") == 1 + len(areas().provinces) + 1 + District.objects.filter(province_id="70").count()
    assert '<option value="70" selected>' in html
    assert '<option value="7005" selected>' in html
    # The district keeps the field's id (labels and scripts point at it); the province has its own.
    assert 'id="id_district"' in html and 'id="id_district_province"' in html
    assert 'data-districts-url="/geo/districts/"' in html


def test_the_country_has_77_provinces_and_928_districts_in_the_cache(geography):
    known = areas()

    assert len(known.provinces) == 77
    assert sum(len(rows) for rows in known.districts.values()) == 928


def test_a_bad_value_never_reaches_the_database(geography, django_assert_num_queries):
    # The codes are checked against the per-process geography first.
    areas()
    with django_assert_num_queries(0):
        with pytest.raises(ValidationError):
            AreaForm.base_fields["district"].clean(["7\x00", "70\x0001"])
