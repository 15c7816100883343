"""The officers and teams generated cases are handled by: found, or created once.

Two district officers and a head per district, a province officer and head per province,
one or two sub-district teams per district with a kamnan each and the district's deputy
chief in all of them (so a team member's queue spans two teams). Existing ones are reused;
passwords are unusable. Who of them takes a step is not decided here: the action's rule
(``cases.actions``) and the task's queue (``workflows.process``) decide, in
``bench.generator.cases``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from cases.models import Team, TeamMembership
from core.models import User
from core.roles import Role, ScopeLevel
from core.thai import make_national_id

from .text import FIRST_NAMES_F, FIRST_NAMES_M, SURNAMES

ROLES = (Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD, Role.TEAM_MEMBER, Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD)


@dataclass
class DistrictInfo:
    code: str
    province: str
    label: str  # อำเภอเมืองราชบุรี / เขตพระนคร
    subdistricts: list[tuple[str, str]]  # (code, ตำบลหน้าเมือง)
    teams: list[Team] = field(default_factory=list)
    # Everyone who may act on the district's cases: its officers, head and team members,
    # and its province's officers and heads.
    people: list[User] = field(default_factory=list)


class Staff:
    """Find or create the officers and teams the generated cases need."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken_ids = set(User.objects.values_list("national_id", flat=True))
        self.created_users = 0
        self.created_teams = 0

    def ensure(self, districts: dict[str, DistrictInfo], provinces: list[str]) -> None:
        """Create whom the districts lack, then give each district its people and teams."""
        have = set(
            User.objects.filter(is_active=True, roles__code__in=ROLES)
            .values_list("district_id", "province_id", "roles__code")
            .distinct()
        )
        in_district = {(district, role) for district, _province, role in have if district}
        in_province = {(province, role) for district, province, role in have if not district}
        new_users: list[User] = []
        for info in districts.values():
            if (info.code, Role.DISTRICT_OFFICER) not in in_district:
                for _ in range(2):
                    new_users.append(self._new_user(Role.DISTRICT_OFFICER, "เจ้าพนักงานปกครองชำนาญงาน", info.code,
                                                    info.province, kind=1))  # fmt: skip
            if (info.code, Role.DISTRICT_HEAD) not in in_district:
                head_title = "ผู้อำนวยการเขต" if info.province == "10" else "นายอำเภอ"
                new_users.append(self._new_user(Role.DISTRICT_HEAD, head_title, info.code, info.province, kind=2))
        for code in provinces:
            if (code, Role.PROVINCE_OFFICER) not in in_province:
                new_users.append(self._new_user(Role.PROVINCE_OFFICER, "เจ้าพนักงานปกครองชำนาญการ", None, code, kind=4))
            if (code, Role.PROVINCE_HEAD) not in in_province:
                new_users.append(self._new_user(Role.PROVINCE_HEAD, "รองผู้ว่าราชการจังหวัด", None, code, kind=5))
        self._save_users(new_users)
        self._ensure_teams(districts)
        self._load_people(districts)

    def _name(self) -> tuple[str, str, str]:
        if self.rng.random() < 0.6:
            return "นาย", self.rng.choice(FIRST_NAMES_M), self.rng.choice(SURNAMES)
        return self.rng.choice(["นาง", "นางสาว"]), self.rng.choice(FIRST_NAMES_F), self.rng.choice(SURNAMES)

    def _national_id(self, area: str, kind: int) -> str:
        serial = 1
        while True:
            lead = self.rng.choice("13")
            candidate = make_national_id(f"{lead}{area:0<4}{kind}{serial:06d}")
            if candidate not in self.taken_ids:
                self.taken_ids.add(candidate)
                return candidate
            serial += 1

    def _new_user(self, role: str, position: str, district: str | None, province: str, *, kind: int) -> User:
        title, first, last = self._name()
        user = User(
            national_id=self._national_id(district or f"{province}00", kind),
            password=make_password(None),  # unusable: nobody signs in as a generated officer
            title=title, first_name=first, last_name=last, position=position,
            scope_level=ScopeLevel.DISTRICT if district else ScopeLevel.PROVINCE,
            district_id=district, province_id=province, must_change_password=False,
        )  # fmt: skip
        user._bench_role = role
        return user

    def _save_users(self, new_users: list[User]) -> None:
        if not new_users:
            return
        User.objects.bulk_create(new_users, batch_size=2000)
        through = User.roles.through
        through.objects.bulk_create(
            [through(user_id=user.pk, role_id=user._bench_role) for user in new_users], batch_size=5000
        )
        self.created_users += len(new_users)

    def _ensure_teams(self, districts: dict[str, DistrictInfo]) -> None:
        teams: dict[str, list[Team]] = {}
        for team in Team.objects.filter(is_active=True).order_by("id"):
            teams.setdefault(team.district_id, []).append(team)
        new_teams: list[Team] = []
        for info in districts.values():
            if not teams.get(info.code):
                for code, label in self.rng.sample(info.subdistricts, min(2, len(info.subdistricts))):
                    new_teams.append(Team(subdistrict_id=code, district_id=info.code, name=f"ชปต. {label}"))
        if new_teams:
            heads = dict(
                User.objects.filter(is_active=True, roles__code=Role.DISTRICT_HEAD, district__isnull=False)
                .order_by("-id")
                .values_list("district_id", "id")
            )
            for team in new_teams:
                team.leader_id = heads[team.district_id]
            Team.objects.bulk_create(new_teams, batch_size=2000)
            self.created_teams += len(new_teams)
        for team in new_teams:
            teams.setdefault(team.district_id, []).append(team)

        # Teams without a member get one: a deputy district chief (ปลัดอำเภอ) serving in every
        # team of the district that needs one, and a kamnan of the team's own sub-district.
        staffed = set(
            TeamMembership.objects.filter(user__is_active=True, user__roles__code=Role.TEAM_MEMBER).values_list(
                "team_id", flat=True
            )
        )
        pending: list[tuple[Team, User, str]] = []
        new_users: list[User] = []
        for info in districts.values():
            empty = [team for team in teams.get(info.code, []) if team.pk not in staffed]
            if not empty:
                continue
            deputy = self._new_user(Role.TEAM_MEMBER, "ปลัดอำเภอ", info.code, info.province, kind=3)
            new_users.append(deputy)
            for team in empty:
                kamnan = self._new_user(Role.TEAM_MEMBER, "กำนัน", info.code, info.province, kind=3)
                new_users.append(kamnan)
                pending += [
                    (team, deputy, TeamMembership.Kind.DEPUTY_CHIEF),
                    (team, kamnan, TeamMembership.Kind.KAMNAN),
                ]
        self._save_users(new_users)
        TeamMembership.objects.bulk_create(
            [TeamMembership(team_id=team.pk, user_id=user.pk, kind=kind) for team, user, kind in pending],
            batch_size=5000,
        )
        for info in districts.values():
            info.teams = teams.get(info.code, [])

    def _load_people(self, districts: dict[str, DistrictInfo]) -> None:
        """Everyone of the five roles (the fields the rules, the names and the audit rows
        read), with their roles and teams read in bulk and kept on each user as
        ``User.role_codes`` and ``permissions.rules.team_ids`` keep them (read once per
        object), so that the rules decide without a query."""
        users = {
            user.pk: user
            for user in User.objects.filter(is_active=True, roles__code__in=ROLES)
            .only("id", "national_id", "title", "first_name", "last_name", "scope_level", "district_id", "province_id")
            .distinct()
            .order_by("id")
        }
        roles: dict[int, set[str]] = {}
        for user_id, code in User.roles.through.objects.filter(user_id__in=users).values_list("user_id", "role_id"):
            roles.setdefault(user_id, set()).add(code)
        teams: dict[int, set[int]] = {}
        for user_id, team_id in TeamMembership.objects.filter(user_id__in=users).values_list("user_id", "team_id"):
            teams.setdefault(user_id, set()).add(team_id)
        by_district: dict[str, list[User]] = {}
        by_province: dict[str, list[User]] = {}
        for user in users.values():
            user._role_codes = frozenset(roles.get(user.pk, ()))
            user._team_ids = frozenset(teams.get(user.pk, ()))
            if user.scope_level == ScopeLevel.DISTRICT and user.district_id:
                by_district.setdefault(user.district_id, []).append(user)
            elif user.scope_level == ScopeLevel.PROVINCE and user.province_id:
                by_province.setdefault(user.province_id, []).append(user)
        for info in districts.values():
            info.people = by_district.get(info.code, []) + by_province.get(info.province, [])
