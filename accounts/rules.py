"""Who may fill, certify and read registrations: one function per question, used by
the views, the menu and the services alike."""

from __future__ import annotations

from accounts.models import SELF_CERTIFYING, Position, Registration
from core.models import User
from core.roles import Role, ScopeLevel

# The officers of a center who fill the form for a colleague or for themselves.
REGISTRARS = {
    ScopeLevel.DISTRICT: (Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD),
    ScopeLevel.PROVINCE: (Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD),
    ScopeLevel.NATION: (Role.CENTRAL_OFFICER, Role.ADMINISTRATOR),
}
# Who certifies a center's registrations: "ลงชื่อ ... ตำแหน่ง นายอำเภอ/ผู้ว่าราชการจังหวัด",
# the governor's delegate included; the central administrator for central accounts.
CERTIFYING_ROLE = {
    ScopeLevel.DISTRICT: Role.DISTRICT_HEAD,
    ScopeLevel.PROVINCE: Role.PROVINCE_HEAD,
    ScopeLevel.NATION: Role.ADMINISTRATOR,
}


def is_central_administrator(user) -> bool:
    return user.is_active and user.scope_level == ScopeLevel.NATION and user.has_role(Role.ADMINISTRATOR)


def same_center(user, scope_level: str, province_id, district_id) -> bool:
    if user.scope_level != scope_level:
        return False
    if scope_level == ScopeLevel.DISTRICT:
        return user.district_id == district_id
    if scope_level == ScopeLevel.PROVINCE:
        return user.province_id == province_id
    return True


def can_register(user) -> bool:
    """May fill the form at all: an officer or head of a center, or the central administrator."""
    return user.is_active and user.has_role(*REGISTRARS.get(user.scope_level, ()))


def can_register_for(user, scope_level: str, province_id=None, district_id=None) -> bool:
    """May fill a form for an account of that center: one's own center; the central
    administrator, any center (a center whose every registrar has left)."""
    if is_central_administrator(user):
        return True
    return can_register(user) and same_center(user, scope_level, province_id, district_id)


def certifier_center(registration: Registration) -> tuple[str, str | None, str | None]:
    """(level, province, district) of the center whose head certifies ``registration``.

    A center's head certifies its officers. A head's own form is certified by himself
    (the seed's note); a new head who has no account yet cannot sign it, so the level
    above certifies him: the governor for a district chief, the central administrator
    for a governor."""
    level = registration.scope_level
    if registration.position == Position.DISTRICT_CHIEF:
        return ScopeLevel.PROVINCE, registration.province_id, None
    if registration.position == Position.GOVERNOR:
        return ScopeLevel.NATION, None, None
    return level, registration.province_id, registration.district_id


def _heads_of(level: str, province_id, district_id):
    people = User.objects.with_role(CERTIFYING_ROLE[level]).filter(scope_level=level)
    if level == ScopeLevel.DISTRICT:
        people = people.filter(district_id=district_id)
    elif level == ScopeLevel.PROVINCE:
        people = people.filter(province_id=province_id)
    return people


# A center without a head in the system (or whose only head is the person registered)
# has its forms certified one level up: the province's head, then the central administrator.
_ABOVE = {ScopeLevel.DISTRICT: ScopeLevel.PROVINCE, ScopeLevel.PROVINCE: ScopeLevel.NATION}


def certifiers(registration: Registration) -> list[User]:
    """Who may certify ``registration`` (besides a head certifying himself)."""
    level, province_id, district_id = certifier_center(registration)
    while True:
        people = list(
            _heads_of(level, province_id, district_id)
            .exclude(national_id=registration.national_id)
            .order_by("first_name", "pk")
        )
        if people or level not in _ABOVE:
            return people
        level, district_id = _ABOVE[level], None
        province_id = province_id if level == ScopeLevel.PROVINCE else None


def certifies_self(user, registration: Registration) -> bool:
    """A district chief or governor certifying his own form ("เป็นผู้รับรองตนเอง")."""
    return (
        registration.position in SELF_CERTIFYING
        and user.national_id == registration.national_id
        and user.has_role(CERTIFYING_ROLE[registration.scope_level])
        and same_center(user, registration.scope_level, registration.province_id, registration.district_id)
    )


def can_certify(user, registration: Registration) -> bool:
    if not user.is_active or registration.state != Registration.State.WAITING:
        return False
    if certifies_self(user, registration):
        return True
    if user.national_id == registration.national_id:
        return False  # nobody else certifies himself
    return any(person.pk == user.pk for person in certifiers(registration))


def can_see(user, registration: Registration) -> bool:
    """Its filler, its certifiers, the person it registers, the officers of its center, the
    heads above it (oversight) and the central administrator."""
    if not user.is_active:
        return False
    if user.pk in (registration.submitted_by_id, registration.account_id, registration.decided_by_id):
        return True
    if is_central_administrator(user) or can_certify(user, registration):
        return True
    if user.has_role(Role.PROVINCE_HEAD) and user.scope_level == ScopeLevel.PROVINCE:
        return user.province_id == registration.province_id
    return can_register_for(user, registration.scope_level, registration.province_id, registration.district_id)


def can_edit(user, registration: Registration) -> bool:
    """A returned form goes back to whoever filled it, to correct and send again or withdraw."""
    return user.is_active and registration.is_open and registration.submitted_by_id == user.pk


def can_oversee(user) -> bool:
    """The oversight page: the central administrator and the province heads."""
    return is_central_administrator(user) or (
        user.is_active and user.scope_level == ScopeLevel.PROVINCE and user.has_role(Role.PROVINCE_HEAD)
    )
