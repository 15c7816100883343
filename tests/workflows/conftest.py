"""Workflow fixtures: more people and teams around the shared cast (tests/case_fixtures.py).

Amy is a second officer of Mueang Ratchaburi (7001); Hank heads Ban Pong (7005);
Tina is on a Ban Pong team; Kim and Ken are officer and head in Mueang
Kanchanaburi (7101), another province; Nora is on a second 7001 team.
"""

import pytest

from cases.models import Team, TeamMembership
from core.models import Subdistrict
from tests.factories import UserFactory


@pytest.fixture
def amy(db, geography):
    return UserFactory(first_name="เอมี่", roles=["district_officer"], district="7001")


@pytest.fixture
def hank(db, geography):
    return UserFactory(first_name="แฮงก์", roles=["district_head"], district="7005")


@pytest.fixture
def kim(db, geography):
    return UserFactory(first_name="คิม", roles=["district_officer"], district="7101")


@pytest.fixture
def ken(db, geography):
    return UserFactory(first_name="เคน", roles=["district_head"], district="7101")


def make_team(subdistrict_code: str, name: str, member) -> Team:
    team = Team.objects.create(subdistrict=Subdistrict.objects.get(code=subdistrict_code), name=name)
    TeamMembership.objects.create(team=team, user=member, kind=TeamMembership.Kind.KAMNAN)
    return team


@pytest.fixture
def nora(db, geography):
    return UserFactory(first_name="นอร่า", roles=["team_member"], district="7001")


@pytest.fixture
def other_team(nora):
    """A second team of 7001, which Tom is not on."""
    return make_team("700102", "ชปต. ตำบลหน้าเมือง 2", nora)


@pytest.fixture
def tina(db, geography):
    return UserFactory(first_name="ทีน่า", roles=["team_member"], district="7005")


@pytest.fixture
def ban_pong_team(tina):
    return make_team("700501", "ชปต. ตำบลบ้านโป่ง", tina)
