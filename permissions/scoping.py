"""Which complaints a user may see: the one place jurisdiction is decided for reads.

It filters on the complaint's fields and the user's relations (teams, shares), and
imports no case model: cases is above permissions, and calls this from its queryset.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.context import request_memo
from core.models import User
from core.roles import Role, ScopeLevel
from permissions.models import CaseShare, ComplaintGroupObjectPermission, ComplaintUserObjectPermission
from permissions.rules import team_ids


def visible_complaints(queryset, user):
    """Filter ``queryset`` to the complaints ``user`` may see (``visibility``)."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(visibility(user))


def visibility(user, path: str = "") -> Q:
    """The complaints ``user`` may see, as a condition; ``path`` leads from the
    queried model to the complaint (``"complaint__"`` from a task).

    District staff see their district's cases; team members only their teams'
    cases; province staff the cases of their province; central officers and
    national auditors everything. An official named as respondent never sees
    the case, whatever the scope.

    Read through a path, the condition is on the joined complaint row, so that a
    list of tasks ordered on its own index checks each row's case as it goes (the
    "done by me" tab: 26 look-ups by key, where a semi-join on the case ids first
    read every case of the district, bench/inbox).
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    roles = user.role_codes
    found = exceptions(user)
    # Whatever his scope and shares, never a case naming him as respondent.
    never_named = ~named_as_respondent(user, path) if found.respondent else Q()
    if user.scope_level == ScopeLevel.NATION and roles & {Role.CENTRAL_OFFICER, Role.AUDITOR, Role.ADMINISTRATOR}:
        return never_named  # everything else
    # Not Q(): an empty Q OR-ed with the shares below would shrink to the shares alone.
    allowed = Q(pk__in=[])
    if user.scope_level == ScopeLevel.PROVINCE and roles & {
        Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD, Role.AUDITOR, Role.ADMINISTRATOR
    }:  # fmt: skip
        allowed = Q(**{f"{path}province_id": user.province_id})
    elif user.scope_level == ScopeLevel.DISTRICT:
        if roles & {Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD, Role.AUDITOR, Role.ADMINISTRATOR}:
            allowed = Q(**{f"{path}district_id": user.district_id})
        if Role.TEAM_MEMBER in roles:
            # His teams as values, read once per request (as the rules read them): as a
            # subquery, PostgreSQL guessed a team's cases at the average, 47 where a busy
            # team has 826, and read them all to check 26 of his tasks (bench/inbox).
            allowed |= Q(**{f"{path}team_id__in": sorted(team_ids(user))})
    # Exceptions: cases shared with this officer or with their district's group
    # (django-guardian object permissions, granted and ended by permissions.services).
    if found.shared:
        allowed |= _shared_with(user, path)
    return allowed & never_named


@dataclass(frozen=True)
class Exceptions:
    shared: bool  # a share runs now for him or for his district
    respondent: bool  # he is named as respondent in some case


def exceptions(user) -> Exceptions:
    """Whether the exceptions to a user's scope apply to him at all, in one indexed look.

    Nearly everyone, nearly always, has no case shared with him and is named in no
    case: then every list, inbox and count he opens leaves out the share subqueries
    and the NOT EXISTS on the respondents, which cost more than this query (the
    inbox at 100k cases, bench/inbox). Asked once per web request (the dashboard
    asked it five times) and anew by the next one, never kept longer: a case naming
    him may have been recorded a moment ago."""
    in_district = bool(user.scope_level == ScopeLevel.DISTRICT and user.district_id)
    memo, key = request_memo(), ("exceptions", user.pk, user.district_id if in_district else None)
    if memo is not None and key in memo:
        return memo[key]
    sql, params = _exceptions_statement(in_district)
    values = {_SOMEONE: user.pk, _SOME_DISTRICT: user.district_id, _adapted(_SOME_MOMENT): _adapted(timezone.now())}
    with connection.cursor() as cursor:
        cursor.execute(sql, [values.get(param, param) for param in params])
        shared, respondent = cursor.fetchone() or (False, False)
    found = Exceptions(shared=bool(shared), respondent=bool(respondent))
    if memo is not None:
        memo[key] = found
    return found


# Stand-ins for the user, his district and the moment, replaced in the compiled statement's
# parameters at each call (values no real row or clock has).
_SOMEONE, _SOME_DISTRICT = -90_651_427, "district-stand-in"
_SOME_MOMENT = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)


def _adapted(moment: dt.datetime):
    return connection.ops.adapt_datetimefield_value(moment)


@functools.cache
def _exceptions_statement(in_district: bool) -> tuple[str, tuple]:
    """The exceptions query as SQL, built by the ORM once per process: building it
    cost five times what running it does (2.0 against 0.4 ms a call, bench/inbox),
    and the inbox, the menu and every list ask it. The rules stay the ORM's own
    (``CaseShare.objects.active``), only their compilation is kept."""
    running = CaseShare.objects.active(now=_SOME_MOMENT)
    district_share = Q(district_id=_SOME_DISTRICT) if in_district else Q(pk__in=[])
    # The respondents table through the user's relation name, not an import: cases is above us.
    respondents = User._meta.get_field("named_as_respondent").related_model
    query = (
        User.objects.filter(pk=_SOMEONE)
        .order_by()
        .values_list(
            Exists(running.filter(Q(user=OuterRef("pk")) | district_share)),
            Exists(respondents.objects.filter(user=OuterRef("pk"))),
        )
    )
    return query.query.sql_with_params()


def named_as_respondent(user, path: str = "") -> Q:
    """The complaints naming ``user`` as respondent: never shown to him, whatever his
    scope or shares. ``path`` leads from the queried model to the complaint
    (``"complaint__"`` from a task); negated, it is one NOT EXISTS on the respondents."""
    return Q(**{f"{path}respondents__user": user})


def _shared_with(user, path: str = "") -> Q:
    # The object permission and a share still running: a share past its end shows
    # nothing from that moment, not only once the beat task has removed the permission.
    running = CaseShare.objects.active()
    in_district = user.scope_level == ScopeLevel.DISTRICT and user.district_id
    key = f"{path}pk__in"
    shared = Q(
        **{
            key: ComplaintUserObjectPermission.objects.filter(user=user, permission__codename="view_complaint").values(
                "content_object_id"
            )
        }
    ) & Q(**{key: running.filter(user=user).values("complaint_id")})
    if in_district:
        shared |= Q(
            **{
                key: ComplaintGroupObjectPermission.objects.filter(
                    group__name=f"district:{user.district_id}", group__user=user, permission__codename="view_complaint"
                ).values("content_object_id")
            }
        ) & Q(**{key: running.filter(district_id=user.district_id).values("complaint_id")})
    return shared
