"""Where a request happened: the district by its point, the sub-district by its name."""

import pytest

from core.models import District
from open311 import locate
from tests.open311.helpers import BAN_PONG, MUEANG


def test_ray_casting_counts_holes_out():
    square = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
    hole = ((4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0))
    area = locate.Area("x", (0.0, 0.0, 10.0, 10.0), ((square, hole),))

    assert area.contains(1, 1) and area.contains(9.9, 5)
    assert not area.contains(5, 5)  # in the hole
    assert not area.contains(11, 5) and not area.contains(5, -0.1)


@pytest.mark.parametrize(
    ("point", "code"),
    [
        (MUEANG, "7001"),
        (BAN_PONG, "7005"),
        ((13.7563, 100.5018), "1001"),  # Phra Nakhon, Bangkok
        ((18.7883, 98.9853), "5001"),  # Mueang Chiang Mai
        ((9.0, 101.5), None),  # the Gulf of Thailand
        ((48.8566, 2.3522), None),  # Paris
    ],
)
def test_the_district_of_a_point(point, code):
    assert locate.district_code_at(*point) == code


def test_every_district_of_the_boundaries_is_one_of_ours(geography, db):
    codes = {area.code for area in locate.district_areas()}

    assert len(codes) == 928
    assert codes <= set(District.objects.values_list("code", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "district"),
    [
        ("ตลาดท่าผา ต.ท่าผา อ.บ้านโป่ง จ.ราชบุรี", "7005"),
        ("หน้าที่ว่าการอำเภอเมืองราชบุรี จังหวัดราชบุรี", "7001"),
        ("Tha Pha, Ban Pong, Ratchaburi", "7005"),
        ("อำเภอบ้านโป่ง", None),  # no province: not enough
        ("จังหวัดราชบุรี", None),  # no district
        ("ซอยวัดช่องลม", None),
    ],
)
def test_the_district_an_address_names(geography, address, district):
    found = locate.district_named(address)

    assert (found.code if found else None) == district


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "subdistrict"),
    [
        ("ตลาดท่าผา ต.ท่าผา อ.บ้านโป่ง จ.ราชบุรี", "700502"),
        # The sub-district named as its district is: the district is the last mention.
        ("ต.บ้านโป่ง อ.บ้านโป่ง จ.ราชบุรี", "700501"),
        ("อ.บ้านโป่ง จ.ราชบุรี", "700501"),  # none named: the district's seat
        ("", "700501"),
    ],
)
def test_the_sub_district_an_address_names(geography, address, subdistrict):
    ban_pong = District.objects.get(code="7005")

    assert locate.subdistrict_for(ban_pong, address=address).code == subdistrict


@pytest.mark.django_db
def test_a_sub_district_code_must_be_of_the_district(geography):
    ban_pong = District.objects.get(code="7005")

    assert locate.subdistrict_for(ban_pong, code="700503").name_th == "กรับใหญ่"
    assert locate.subdistrict_for(ban_pong, code="700101") is None
