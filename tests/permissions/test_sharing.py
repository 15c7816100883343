"""A head shares a case outside its jurisdiction, for a reason, until a date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from cases.models import Complaint
from permissions import services
from permissions.models import CaseShare

pytestmark = pytest.mark.django_db


def visible(user, case) -> bool:
    return Complaint.objects.visible_to(user).filter(pk=case.pk).exists()


def test_a_head_shares_a_case_with_another_district_until_a_date(new_case, harry, bob, ban_pong):
    assert not visible(bob, new_case)
    share = services.share_case(
        actor=harry, case=new_case, district=ban_pong, reason="ผู้ถูกร้องอยู่ในเขตบ้านโป่ง",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )  # fmt: skip
    assert visible(bob, new_case)
    assert bob.has_perm("cases.view_complaint", new_case)  # a django-guardian object permission
    grant = AuditEvent.objects.get(kind=Kind.PERMISSION_GRANT)
    assert grant.complaint_id == new_case.pk and "ผู้ถูกร้องอยู่ในเขตบ้านโป่ง" in grant.detail

    # When the time is up, the share ends by itself.
    ended = services.expire_shares(now=share.expires_at + dt.timedelta(seconds=1))
    assert ended == 1
    assert not visible(bob, new_case)
    assert CaseShare.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(kind=Kind.PERMISSION_REVOKE, detail__contains="expired").exists()
    assert services.expire_shares(now=share.expires_at + dt.timedelta(days=1)) == 0  # once


def test_a_head_shares_with_a_named_officer_and_revokes(new_case, harry, paula, carol):
    from tests.factories import UserFactory

    seconded = UserFactory(first_name="ประจำการ", roles=["district_officer"], district="7101")
    assert not visible(seconded, new_case)
    share = services.share_case(
        actor=harry, case=new_case, user=seconded, reason="ช่วยราชการ",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    assert visible(seconded, new_case)
    services.end_share(share, actor=harry)
    assert not visible(seconded, new_case)


def test_an_officer_who_joins_the_district_later_sees_the_shared_case(new_case, harry, ban_pong):
    from tests.factories import UserFactory

    services.share_case(
        actor=harry,
        case=new_case,
        district=ban_pong,
        reason="ประสาน",
        expires_on=timezone.localdate() + dt.timedelta(days=3),
    )
    newcomer = UserFactory(roles=["district_officer"], district="7005")
    assert visible(newcomer, new_case)
    newcomer.district_id = "7006"
    newcomer.save()  # moved away: the district's shares no longer reach them
    assert not visible(newcomer, new_case)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"expires_on_days": 0}, "expires_on"),
        ({"expires_on_days": 400}, "expires_on"),
        ({"same_district": True}, "district"),
    ],
)
def test_bad_shares_are_refused_and_nothing_is_granted(new_case, harry, ban_pong, kwargs, field):
    days = kwargs.pop("expires_on_days", 7)
    district = new_case.district if kwargs.pop("same_district", False) else ban_pong
    with pytest.raises(ValidationError) as error:
        services.share_case(
            actor=harry, case=new_case, district=district, reason=kwargs.get("reason", "เหตุผล"),
            expires_on=timezone.localdate() + dt.timedelta(days=days),
        )  # fmt: skip
    assert field in error.value.message_dict
    assert not CaseShare.objects.exists()
    assert not AuditEvent.objects.filter(kind=Kind.PERMISSION_GRANT).exists()


def test_only_the_owning_head_may_share(new_case, alice, bob, ban_pong):
    for person in (alice, bob):
        with pytest.raises(services.ShareRefused):
            services.share_case(
                actor=person, case=new_case, district=ban_pong, reason="x",
                expires_on=timezone.localdate() + dt.timedelta(days=1),
            )  # fmt: skip


def test_sharing_through_the_page(signed_in, new_case, harry, bob):
    client = signed_in(harry)
    page = client.get(reverse("cases:detail", args=[new_case.pk])).content.decode()
    assert reverse("cases:share", args=[new_case.pk]) in page
    until = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        reverse("cases:share", args=[new_case.pk]),
        {
            "district": "7005",
            "national_id": "",
            "reason": "ประสานงาน",
            "expires_on": f"{until.day}/{until.month}/{until.year + 543}",
        },
    )
    assert response.status_code == 302
    assert visible(bob, new_case)
    bad = client.post(
        reverse("cases:share", args=[new_case.pk]), {"district": "", "national_id": "", "reason": "", "expires_on": ""}
    )
    assert bad.status_code == 400
    assert "อย่างใดอย่างหนึ่ง" in bad.content.decode()
    assert signed_in(bob).get(reverse("cases:share", args=[new_case.pk])).status_code == 403


def test_the_exceptions_query_follows_the_share_and_respondent_rules(new_case, harry, bob, carol, ban_pong):
    """permissions.scoping.exceptions runs a statement compiled once from the ORM's rules
    (CaseShare.objects.active, the respondents): it must say what they say, as shares
    start, run past their end and are revoked, and as a case names an officer."""
    from cases.models import Respondent
    from permissions.scoping import exceptions

    def ruled(user):
        running = CaseShare.objects.active().filter(user=user)
        if user.district_id:
            running = running | CaseShare.objects.active().filter(district_id=user.district_id)
        return running.exists(), Respondent.objects.filter(user=user).exists()

    def agree(user):
        found = exceptions(user)
        assert (found.shared, found.respondent) == ruled(user)
        return found

    assert agree(bob) == agree(carol) == type(agree(bob))(shared=False, respondent=False)
    share = services.share_case(
        actor=harry, case=new_case, district=ban_pong, reason="ผู้ถูกร้องอยู่ในเขตบ้านโป่ง",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )  # fmt: skip
    assert agree(bob).shared and not agree(carol).shared
    CaseShare.objects.filter(pk=share.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not agree(bob).shared  # past its end, before the beat task revokes it
    CaseShare.objects.filter(pk=share.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert agree(bob).shared
    services.end_share(share, actor=harry)
    assert not agree(bob).shared
    Respondent.objects.create(complaint=new_case, kind=Respondent.Kind.OFFICIAL, name=carol.get_full_name(), user=carol)
    assert agree(carol).respondent and not agree(bob).respondent


def test_the_exceptions_are_asked_once_a_request_and_anew_by_the_next(signed_in, harry, bob, new_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(bob)  # Ban Pong's officer: case 7001's only through a share
    with CaptureQueriesContext(connection) as queries:
        assert new_case.number not in client.get("/cases/").content.decode()
    asked = [q["sql"] for q in queries if "permissions_caseshare" in q["sql"]]
    assert len(asked) == 1, asked  # the menu, the lists and the counts ask it many times
    services.share_case(
        actor=harry,
        case=new_case,
        user=bob,
        reason="ร่วมตรวจสอบ",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )
    assert new_case.number in client.get("/cases/").content.decode()  # the next request sees the share
