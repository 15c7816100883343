"""Roles and the jurisdiction each one works in.

A role says what an officer does; a scope (district, province or nation) says
where. Every role needs a scope of a given level: a district head works in one
district, a province officer in one province.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeLevel(models.TextChoices):
    DISTRICT = "district", _("ระดับอำเภอ")
    PROVINCE = "province", _("ระดับจังหวัด")
    NATION = "nation", _("ระดับประเทศ (ส่วนกลาง)")


class Role(models.TextChoices):
    DISTRICT_OFFICER = "district_officer", _("เจ้าหน้าที่ศูนย์ดำรงธรรมอำเภอ")
    DISTRICT_HEAD = "district_head", _("หัวหน้าศูนย์ดำรงธรรมอำเภอ (นายอำเภอหรือผู้ได้รับมอบหมาย)")
    TEAM_MEMBER = "team_member", _("ชุดปฏิบัติการประจำตำบล (ชปต.)")
    PROVINCE_OFFICER = "province_officer", _("เจ้าหน้าที่ศูนย์ดำรงธรรมจังหวัด")
    PROVINCE_HEAD = "province_head", _("หัวหน้าศูนย์ดำรงธรรมจังหวัด")
    CENTRAL_OFFICER = "central_officer", _("เจ้าหน้าที่ส่วนกลาง กรมการปกครอง")
    AUDITOR = "auditor", _("ผู้ตรวจสอบ")
    ADMINISTRATOR = "administrator", _("ผู้ดูแลระบบ")


# The scope levels a role may be held at. Auditors and administrators work at
# whatever level they were appointed to.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.DISTRICT_OFFICER: frozenset({ScopeLevel.DISTRICT}),
    Role.DISTRICT_HEAD: frozenset({ScopeLevel.DISTRICT}),
    Role.TEAM_MEMBER: frozenset({ScopeLevel.DISTRICT}),
    Role.PROVINCE_OFFICER: frozenset({ScopeLevel.PROVINCE}),
    Role.PROVINCE_HEAD: frozenset({ScopeLevel.PROVINCE}),
    Role.CENTRAL_OFFICER: frozenset({ScopeLevel.NATION}),
    Role.AUDITOR: frozenset(ScopeLevel.values),
    Role.ADMINISTRATOR: frozenset(ScopeLevel.values),
}


def roles_not_allowed_at(roles: list[str], level: str) -> list[str]:
    """Return the roles in ``roles`` that cannot be held at scope ``level``."""
    return [role for role in roles if level not in ROLE_SCOPES[role]]
