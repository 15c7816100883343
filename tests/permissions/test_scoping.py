import pytest

from cases.models import Complaint
from permissions import services

pytestmark = pytest.mark.django_db


def test_national_staff_see_every_case_even_when_something_is_shared_with_them(
    new_case, harry, carol, audrey, ada, bob, ban_pong
):
    import datetime as dt

    from django.utils import timezone

    from cases.services import case_intake
    from tests.case_fixtures import intake_data

    theirs, _ = case_intake(actor=bob, district=ban_pong, data=intake_data())
    services.share_case(
        actor=harry, case=new_case, user=carol, reason="x", expires_on=timezone.localdate() + dt.timedelta(days=1)
    )
    for person in (carol, audrey, ada):
        visible = set(Complaint.objects.visible_to(person).values_list("pk", flat=True))
        assert visible == {new_case.pk, theirs.pk}, person
