"""Which complaints a user may see: the one place jurisdiction is decided for reads."""

from django.db.models import Q

from permissions.roles import Role, ScopeLevel


def _team_model():
    from cases.models import Team

    return Team


def visible_complaints(queryset, user):
    """Filter ``queryset`` to the complaints ``user`` may see.

    District staff see their district's cases; team members only their teams'
    cases; province staff the cases of their province; central officers and
    national auditors everything. An official named as respondent never sees
    the case, whatever the scope.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    Team = _team_model()
    roles = user.role_codes
    allowed = Q(pk__in=[])
    if user.scope_level == ScopeLevel.NATION and roles & {Role.CENTRAL_OFFICER, Role.AUDITOR, Role.ADMINISTRATOR}:
        allowed = Q()
    elif user.scope_level == ScopeLevel.PROVINCE and roles & {
        Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD, Role.AUDITOR, Role.ADMINISTRATOR
    }:  # fmt: skip
        allowed = Q(province_id=user.province_id)
    elif user.scope_level == ScopeLevel.DISTRICT:
        if roles & {Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD, Role.AUDITOR, Role.ADMINISTRATOR}:
            allowed = Q(district_id=user.district_id)
        if Role.TEAM_MEMBER in roles:
            # A subquery, not a join: a join would repeat rows and need DISTINCT.
            allowed |= Q(team__in=Team.objects.filter(memberships__user=user).values("pk"))
    return queryset.filter(allowed).exclude(respondents__user=user)
