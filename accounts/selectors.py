"""The read path of registrations and of the oversight page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts import rules
from accounts.models import SELF_CERTIFYING, Registration
from core.memo import once
from core.models import District, Province, User
from core.roles import Role, ScopeLevel

UNUSED_DAYS = 90
# The Department asked for two registered officers per district center: fewer is flagged.
OFFICERS_PER_CENTER = 2


def _rows():
    return Registration.objects.select_related("province", "district", "submitted_by", "account", "replaces")


def waiting_for(user) -> list[Registration]:
    """The forms ``user`` may certify now: his center's, a district chief's of his province
    for a governor, a governor's for the central administrator, and his own as a head.
    Read once per request's user (the menu's badge, the start page and the inbox ask)."""
    return once(user, "_registrations_waiting", lambda: _waiting_for(user))


def _waiting_for(user) -> list[Registration]:
    if not user.is_active:
        return []
    # The forms of the user's reach, then the rule itself (rules.can_certify), which knows
    # who certifies a head and where a center without a head sends its forms.
    reach = Q(national_id=user.national_id, position__in=SELF_CERTIFYING)
    if rules.is_central_administrator(user):
        reach = Q()
    elif user.has_role(Role.PROVINCE_HEAD) and user.scope_level == ScopeLevel.PROVINCE:
        reach |= Q(province_id=user.province_id)
    elif user.has_role(Role.DISTRICT_HEAD) and user.scope_level == ScopeLevel.DISTRICT:
        reach |= Q(district_id=user.district_id)
    # Every page's menu asks, and almost always nothing waits: the keys alone first (a
    # query cheap to build: the rows' five joins took 3 ms to compile, bench/pages
    # --profile), the rows the rule reads only when some wait.
    waiting = list(Registration.objects.filter(reach, state=Registration.State.WAITING).values_list("pk", flat=True))
    if not waiting:
        return []
    candidates = _rows().filter(pk__in=waiting).order_by("submitted_at", "pk")
    return [r for r in candidates if rules.can_certify(user, r)]


def visible_to(user):
    """The forms ``user`` may read (``rules.can_see``, as a query)."""
    if not user.is_active:
        return Registration.objects.none()
    if rules.is_central_administrator(user):
        return _rows()
    seen = Q(submitted_by=user) | Q(account=user) | Q(decided_by=user)
    if user.has_role(Role.PROVINCE_HEAD) and user.scope_level == ScopeLevel.PROVINCE:
        seen |= Q(province_id=user.province_id)
    if rules.can_register(user):
        if user.scope_level == ScopeLevel.DISTRICT:
            seen |= Q(scope_level=ScopeLevel.DISTRICT, district_id=user.district_id)
        elif user.scope_level == ScopeLevel.PROVINCE:
            seen |= Q(scope_level=ScopeLevel.PROVINCE, province_id=user.province_id)
        else:
            seen |= Q(scope_level=ScopeLevel.NATION)
    return _rows().filter(seen)


def get_for_user(user, pk) -> Registration | None:
    registration = _rows().select_related("decided_by").filter(pk=pk).first()
    return registration if registration is not None and rules.can_see(user, registration) else None


def history_of(account: User):
    """The certified registrations of an account, newest first: its life through moves."""
    return (
        Registration.objects.filter(account=account, state=Registration.State.CERTIFIED)
        .select_related("province", "district", "replaces")
        .order_by("-decided_at", "-pk")
    )


# --- Oversight ------------------------------------------------------------------------------


@dataclass
class CenterRow:
    code: str
    name: str
    officers: int
    heads: int

    @property
    def short(self) -> bool:
        return self.officers < OFFICERS_PER_CENTER


@dataclass
class ProvinceRow:
    code: str
    name: str
    centers: int
    short: int


@dataclass
class Oversight:
    province: Province | None
    waiting: list = field(default_factory=list)
    centers: list[CenterRow] = field(default_factory=list)
    provinces: list[ProvinceRow] = field(default_factory=list)
    unused: list = field(default_factory=list)
    orphaned: list = field(default_factory=list)
    now: dt.datetime | None = None


def _in_scope(queryset, province: Province | None, *, field_prefix: str = ""):
    return queryset.filter(**{f"{field_prefix}province_id": province.pk}) if province is not None else queryset


def _counts(role: str, province: Province | None) -> dict[str, int]:
    people = User.objects.filter(is_active=True, scope_level=ScopeLevel.DISTRICT, roles__code=role)
    people = _in_scope(people, province)
    return dict(people.values("district_id").annotate(n=Count("pk", distinct=True)).values_list("district_id", "n"))


def oversight(user, province: Province | None = None, *, now: dt.datetime | None = None) -> Oversight:
    """What the central administrator (any province, or the nation) or a province head (his
    province) oversees: forms waiting and for how long, each district center's officers,
    accounts unused for ``UNUSED_DAYS`` days, accounts whose certifier has since left."""
    now = now or timezone.now()
    if not rules.is_central_administrator(user):
        province = user.province
    page = Oversight(province=province, now=now)
    page.waiting = list(_in_scope(_rows().filter(state=Registration.State.WAITING), province).order_by("submitted_at"))
    officers, heads = _counts(Role.DISTRICT_OFFICER, province), _counts(Role.DISTRICT_HEAD, province)
    if province is not None:
        districts = District.objects.filter(province=province).order_by("code")
        page.centers = [CenterRow(d.code, d.name_th, officers.get(d.code, 0), heads.get(d.code, 0)) for d in districts]
    else:
        short: dict[str, int] = {}
        centers: dict[str, int] = {}
        for code, province_id in District.objects.values_list("code", "province_id"):
            centers[province_id] = centers.get(province_id, 0) + 1
            if officers.get(code, 0) < OFFICERS_PER_CENTER:
                short[province_id] = short.get(province_id, 0) + 1
        page.provinces = [
            ProvinceRow(p.code, p.name_th, centers.get(p.code, 0), short.get(p.code, 0))
            for p in Province.objects.order_by("code")
        ]
    since = now - dt.timedelta(days=UNUSED_DAYS)
    unused = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=since) | Q(last_login__isnull=True, date_joined__lt=since)
    )
    page.unused = list(_in_scope(unused, province).select_related("district", "province").order_by("last_login")[:200])
    page.orphaned = orphaned(province)
    return page


def orphaned(province: Province | None = None) -> list[Registration]:
    """The active accounts whose latest certification was signed by someone who has since
    left: his account closed, or he no longer heads the center he certified for."""
    latest: dict[int, Registration] = {}
    certified = _in_scope(
        _rows().select_related("decided_by").filter(state=Registration.State.CERTIFIED, account__is_active=True),
        province,
    ).order_by("-decided_at", "-pk")
    for registration in certified:
        latest.setdefault(registration.account_id, registration)
    return [r for r in latest.values() if r.decided_by_id and certifier_left(r)]


def certifier_left(registration: Registration) -> bool:
    """Whether whoever certified ``registration`` could no longer certify it: his account
    closed, or he no longer heads the center (or the level above it) that certifies it."""
    certifier = registration.decided_by
    if registration.self_certified:
        return not certifier.is_active
    return certifier.pk not in {person.pk for person in rules.certifiers(registration)}
