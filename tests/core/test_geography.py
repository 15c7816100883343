import pytest

from core.geography import load_geography
from core.models import District, Province, Subdistrict


@pytest.mark.django_db
def test_all_of_thailand_is_loaded(geography):
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    # 878 amphoe plus Bangkok's 50 khet
    assert District.objects.filter(province_id="10").count() == 50


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "code", "name_th", "name_en"),
    [
        (Province, "70", "ราชบุรี", "Ratchaburi"),
        (District, "7001", "เมืองราชบุรี", "Mueang Ratchaburi"),
        (District, "7005", "บ้านโป่ง", "Ban Pong"),
        (District, "1001", "เขตพระนคร", "Phra Nakhon"),
        (Subdistrict, "700101", "หน้าเมือง", "Na Mueang"),
    ],
)
def test_known_codes(geography, model, code, name_th, name_en):
    area = model.objects.get(code=code)
    assert (area.name_th, area.name_en) == (name_th, name_en)


@pytest.mark.django_db
def test_subdistricts_carry_postal_codes(geography):
    assert Subdistrict.objects.get(code="700101").postal_codes == "70000"
    assert Subdistrict.objects.get(code="700101").district.province.name_th == "ราชบุรี"


@pytest.mark.django_db
def test_loading_twice_changes_nothing(geography):
    District.objects.filter(code="7001").update(name_th="ชื่อผิด")
    first = load_geography()
    second = load_geography()
    assert first == second
    assert (second.provinces, second.districts, second.subdistricts) == (77, 928, 7436)
    assert District.objects.get(code="7001").name_th == "เมืองราชบุรี"  # repaired by the upsert


@pytest.mark.django_db
def test_district_full_name(geography):
    assert District.objects.get(code="7001").full_name_th == "อำเภอเมืองราชบุรี จังหวัดราชบุรี"
    assert District.objects.get(code="1001").full_name_th == "เขตพระนคร กรุงเทพมหานคร"
