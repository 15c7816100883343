"""The people of the stories the tests tell, and their teams: everyone, in one place.

Every fixture here is available to every test (``tests/conftest.py`` loads this
module). A test that needs someone else makes them in the test, where the reader
sees who they are.

Mueang Ratchaburi (district 7001, province Ratchaburi 70):
    alice   อลิส      district officer; records most complaints
    amy     เอมี่      a second district officer, told of Alice's intakes
    harry   แฮร์รี่     district head (นายอำเภอ's delegate at the center)
    tom     ทอม       team member, on ``team`` (ชปต. ตำบลหน้าเมือง, sub-district 700101)
    nora    นอร่า      team member, on ``other_team`` (ชปต. ตำบลหน้าเมือง 2, 700102), which Tom is not on
Ban Pong (7005, the same province):
    bob     บ็อบ       district officer; must see nothing of 7001
    hank    แฮงก์      district head
    tina    ทีน่า      team member, on ``ban_pong_team`` (ชปต. ตำบลบ้านโป่ง, 700501)
Ratchaburi province center:
    paula   พอลล่า     province officer
    pete    พีท       province head
Mueang Kanchanaburi (7101, another province):
    kim     คิม       district officer
    ken     เคน       district head
The nation:
    carol   แคโรล      central officer
    audrey  ออเดรย์     auditor
    ada     เอด้า      administrator (staff, superuser)

Everyone signs in with ``PASSWORD`` (tests/conftest.py).
"""

import pytest

from cases.models import Team, TeamMembership
from core.models import Subdistrict
from tests.factories import UserFactory

# --- Mueang Ratchaburi (7001) ------------------------------------------------------------


@pytest.fixture
def alice(db, geography):
    return UserFactory(first_name="อลิส", roles=["district_officer"], district="7001")


@pytest.fixture
def amy(db, geography):
    return UserFactory(first_name="เอมี่", roles=["district_officer"], district="7001")


@pytest.fixture
def harry(db, geography):
    return UserFactory(first_name="แฮร์รี่", roles=["district_head"], district="7001")


@pytest.fixture
def tom(db, geography):
    return UserFactory(first_name="ทอม", roles=["team_member"], district="7001")


@pytest.fixture
def nora(db, geography):
    return UserFactory(first_name="นอร่า", roles=["team_member"], district="7001")


def make_team(subdistrict_code: str, name: str, member) -> Team:
    team = Team.objects.create(subdistrict=Subdistrict.objects.get(code=subdistrict_code), name=name)
    TeamMembership.objects.create(team=team, user=member, kind=TeamMembership.Kind.KAMNAN)
    return team


@pytest.fixture
def team(tom):
    return make_team("700101", "ชปต. ตำบลหน้าเมือง", tom)


@pytest.fixture
def other_team(nora):
    return make_team("700102", "ชปต. ตำบลหน้าเมือง 2", nora)


# --- Ban Pong (7005) ------------------------------------------------------------------------


@pytest.fixture
def bob(db, geography):
    return UserFactory(first_name="บ็อบ", roles=["district_officer"], district="7005")


@pytest.fixture
def hank(db, geography):
    return UserFactory(first_name="แฮงก์", roles=["district_head"], district="7005")


@pytest.fixture
def tina(db, geography):
    return UserFactory(first_name="ทีน่า", roles=["team_member"], district="7005")


@pytest.fixture
def ban_pong_team(tina):
    return make_team("700501", "ชปต. ตำบลบ้านโป่ง", tina)


# --- Ratchaburi province (70) ---------------------------------------------------------------


@pytest.fixture
def paula(db, geography):
    return UserFactory(first_name="พอลล่า", roles=["province_officer"], province="70")


@pytest.fixture
def pete(db, geography):
    return UserFactory(first_name="พีท", roles=["province_head"], province="70")


# --- Mueang Kanchanaburi (7101), another province ------------------------------------------


@pytest.fixture
def kim(db, geography):
    return UserFactory(first_name="คิม", roles=["district_officer"], district="7101")


@pytest.fixture
def ken(db, geography):
    return UserFactory(first_name="เคน", roles=["district_head"], district="7101")


# --- The nation ---------------------------------------------------------------------------


@pytest.fixture
def carol(db, geography):
    return UserFactory(first_name="แคโรล", roles=["central_officer"], nation=True)


@pytest.fixture
def audrey(db, geography):
    return UserFactory(first_name="ออเดรย์", roles=["auditor"], nation=True)


@pytest.fixture
def ada(db, geography):
    return UserFactory(first_name="เอด้า", roles=["administrator"], nation=True, is_staff=True, is_superuser=True)
