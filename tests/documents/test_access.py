"""A letter in a center's tray belongs to no case, so it is seen by scope
(``documents.selectors.trays``); that rule must say what the cases' rule says of a case of the
same center that nobody has been given yet (``permissions.scoping.visibility``). Checked for
everyone of the stories, so that the two never drift apart."""

import pytest

from cases.models import Complaint
from core.models import District
from documents.selectors import documents_for, may_add_to_tray, sees_tray
from tests.documents.scans import stored_document

pytestmark = pytest.mark.django_db

PEOPLE = ["alice", "amy", "harry", "tom", "nora", "bob", "hank", "tina", "paula", "pete", "kim", "ken", "carol",
          "audrey", "ada"]  # fmt: skip


@pytest.mark.parametrize("person", PEOPLE)
def test_a_tray_is_seen_as_a_new_case_of_its_center(request, person, new_case, team, other_team):
    user = request.getfixturevalue(person)
    sees_the_case = Complaint.objects.visible_to(user).filter(pk=new_case.pk).exists()
    assert sees_tray(user, District.objects.get(pk="7001")) == sees_the_case
    letter = stored_document(district="7001")
    assert documents_for(user).filter(pk=letter.pk).exists() == sees_the_case


@pytest.mark.parametrize("person", PEOPLE)
def test_only_the_centers_officers_and_heads_add_to_its_tray(request, person):
    user = request.getfixturevalue(person)
    assert may_add_to_tray(user, "7001") == (person in ("alice", "amy", "harry"))
