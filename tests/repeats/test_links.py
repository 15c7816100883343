"""Linking cases as repeats, from the case page (issue 11 §3).

Somjai Thongdee complains twice at Mueang Ratchaburi about the same encroachment. Alice, who
recorded both, links the second to the first; both pages show the link. Bob of Ban Pong links
his case to Alice's across the district line: each sees the other's case only as a minimal
card. Either side may unlink, with a reason. The nightly sweep suggests a pair; Harry, the
head, confirms it or dismisses it with a reason. Every step is an audit row on both cases.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases.services import RespondentData, case_intake
from repeats import selectors, services
from repeats.models import Relation, RepeatLink
from tests.case_fixtures import intake_data
from tests.repeats.conftest import case_page

pytestmark = pytest.mark.django_db

OTHER_TEXT = dict(subject="ไฟฟ้าดับบ่อยในหมู่บ้าน", description="ไฟฟ้าดับเกือบทุกคืน อุปกรณ์ไฟฟ้าเสียหาย")


@pytest.fixture
def first(alice):
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    return case


@pytest.fixture
def second(alice, first):
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    return case


@pytest.fixture
def bobs(bob, hank):
    case, _ = case_intake(actor=bob, district=bob.district, data=intake_data(**OTHER_TEXT))
    return case


def link_rows(client, case) -> str:
    return case_page(client, case)


def audit_rows(link):
    return AuditEvent.objects.filter(kind=Kind.TRANSITION, after__repeat_link=link.pk).order_by("id")


# --- Linking ------------------------------------------------------------------------------------


def test_an_officer_links_two_cases_and_both_pages_show_it(signed_in, alice, harry, first, second):
    client = signed_in(alice)
    response = client.post(
        reverse("repeats:link", args=[second.pk]),
        {"other": first.number, "relation": Relation.COMPLAINANT, "note": "ผู้ร้องรายเดิม มาร้องซ้ำ"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#repeats")
    link = RepeatLink.objects.get()
    # Stored once, the later case first.
    assert (link.case, link.other, link.relation, link.state) == (second, first, "complainant", "linked")
    assert link.created_by == alice and link.decided_by == alice and link.note == "ผู้ร้องรายเดิม มาร้องซ้ำ"
    rows = audit_rows(link)
    assert {row.complaint_id for row in rows} == {first.pk, second.pk}
    assert all(row.actor_id == alice.pk and row.after["state"] == "linked" for row in rows)
    for page_of, shows in ((first, second), (second, first)):
        page = link_rows(client, page_of)
        assert 'data-testid="repeat-link"' in page and f'data-case-number="{shows.number}"' in page
    # The head reads the link too.
    assert f'data-case-number="{first.number}"' in link_rows(signed_in(harry), second)


def test_a_link_across_districts_shows_each_side_a_minimal_card(signed_in, alice, bob, first, bobs):
    # given: Alice links her case to Bob's, which she does not see, typed by its number
    client = signed_in(alice)
    client.post(reverse("repeats:link", args=[first.pk]), {"other": bobs.number, "relation": Relation.RESPONDENT})
    link = RepeatLink.objects.get()
    assert link.state == RepeatLink.State.LINKED
    # then: her page names Bob's case by its number, center and status, nothing of its text
    page = link_rows(client, first)
    assert bobs.number in page and 'data-testid="repeat-outside"' in page
    assert bobs.subject not in page
    shown = AuditEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW, actor_id=alice.pk, complaint_id=bobs.pk)
    assert shown.exists() and shown.first().after["where"] == f"case:{first.pk}"
    # and Bob reads the link on his case the same way
    page = link_rows(signed_in(bob), bobs)
    assert first.number in page and first.subject not in page


def test_a_typed_number_is_read_as_officers_write_it(signed_in, alice, first, second):
    thai = first.number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    signed_in(alice).post(
        reverse("repeats:link", args=[second.pk]), {"other": f" {thai} ", "relation": Relation.GRIEVANCE}
    )
    assert RepeatLink.objects.get().relation == Relation.GRIEVANCE


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("7001/2569/999999", "ไม่พบเรื่องเลขที่นี้"),
        ("ไม่ใช่เลขที่", "ไม่พบเรื่องเลขที่นี้"),
        ("self", "เชื่อมโยงเรื่องกับตัวเองไม่ได้"),
    ],
)
def test_a_wrong_number_is_refused_with_a_message_and_writes_nothing(signed_in, alice, first, other, message):
    number = first.number if other == "self" else other
    response = signed_in(alice).post(
        reverse("repeats:link", args=[first.pk]), {"other": number, "relation": Relation.GRIEVANCE}, follow=True
    )
    assert message in response.content.decode()
    assert not RepeatLink.objects.exists() and not AuditEvent.objects.filter(after__has_key="repeat_link").exists()


def test_a_pair_linked_already_is_not_linked_twice(alice, first, second):
    services.link(actor=alice, case=second, other=first, relation=Relation.GRIEVANCE)
    with pytest.raises(services.ActionRefused, match="อยู่แล้ว"):
        services.link(actor=alice, case=first, other=second, relation=Relation.GRIEVANCE)
    # Another relation of the same pair is a link of its own.
    services.link(actor=alice, case=first, other=second, relation=Relation.COMPLAINANT)
    assert RepeatLink.objects.filter(case=second, other=first).count() == 2


def test_only_those_handling_a_case_link_it(signed_in, alice, tom, carol, kim, audrey, first, second):
    # A team member not on its team, a central officer and an auditor see it or not, but handle it not.
    for person in (tom, carol, audrey):
        with pytest.raises(services.ActionRefused):
            services.link(actor=person, case=second, other=first, relation=Relation.GRIEVANCE)
    assert signed_in(kim).post(reverse("repeats:link", args=[second.pk]), {"other": first.number}).status_code == 404
    response = signed_in(carol).post(
        reverse("repeats:link", args=[second.pk]), {"other": first.number, "relation": "grievance"}, follow=True
    )
    assert "ไม่มีสิทธิ์เชื่อมโยง" in response.content.decode()
    assert not RepeatLink.objects.exists()


def test_a_case_naming_the_officer_as_respondent_is_neither_linked_nor_shown(alice, amy, first):
    # given: a case naming Amy, an officer of the district, as the official complained about
    named, _ = case_intake(
        actor=alice, district=alice.district,
        data=intake_data(respondents=[RespondentData(kind="official", name="เอมี่", national_id=amy.national_id)]),
    )  # fmt: skip
    with pytest.raises(services.ValidationError):
        services.link(actor=amy, case=first, other=named, relation=Relation.GRIEVANCE)
    # when Alice links them, Amy's view of the first case shows nothing of it
    services.link(actor=alice, case=first, other=named, relation=Relation.GRIEVANCE)
    panel = selectors.case_panel(amy, first)
    assert not panel.links


# --- Unlinking ----------------------------------------------------------------------------------


def test_either_side_unlinks_with_a_reason(signed_in, alice, bob, first, bobs):
    link = services.link(actor=alice, case=first, other=bobs, relation=Relation.RESPONDENT)
    client = signed_in(bob)
    url = reverse("repeats:link_step", args=[bobs.pk, link.pk, "unlink"])
    assert client.get(url).status_code == 200
    # A reason is required.
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "กรุณา" in response.content.decode()
    link.refresh_from_db()
    assert link.state == RepeatLink.State.LINKED
    response = client.post(url, {"reason": "ผู้ถูกร้องคนละรายกัน ชื่อพ้อง"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.state, link.decided_by, link.note) == ("unlinked", bob, "ผู้ถูกร้องคนละรายกัน ชื่อพ้อง")
    rows = audit_rows(link).filter(after__state="unlinked")
    assert {row.complaint_id for row in rows} == {first.pk, bobs.pk}
    assert all(row.before == {"repeat_link": link.pk, "state": "linked"} for row in rows)
    # Neither page shows it any more; it can be linked again.
    assert 'data-testid="repeat-link"' not in link_rows(client, bobs)
    again = services.link(actor=alice, case=first, other=bobs, relation=Relation.RESPONDENT)
    assert again.pk == link.pk and again.state == RepeatLink.State.LINKED


def test_nobody_outside_either_case_unlinks(signed_in, alice, kim, tom, first, second):
    link = services.link(actor=alice, case=second, other=first, relation=Relation.GRIEVANCE)
    assert (
        signed_in(kim)
        .post(reverse("repeats:link_step", args=[first.pk, link.pk, "unlink"]), {"reason": "x"})
        .status_code
        == 404
    )
    with pytest.raises(services.ActionRefused):
        services.unlink(actor=tom, link=link, reason="x")
    link.refresh_from_db()
    assert link.state == RepeatLink.State.LINKED
    # A link is reached through one of its own cases only.
    third, _ = case_intake(actor=alice, district=alice.district, data=intake_data(**OTHER_TEXT))
    assert signed_in(alice).get(reverse("repeats:link_step", args=[third.pk, link.pk, "unlink"])).status_code == 404


# --- Suggestions of the sweep -------------------------------------------------------------------


def test_the_head_confirms_a_suggested_pair(signed_in, harry, first, second):
    link = services.suggest(case=first, other=second, relation=Relation.GRIEVANCE, score=0.91, reasons=[])
    assert (link.case, link.state, link.created_by) == (second, "suggested", None)
    assert not AuditEvent.objects.filter(after__has_key="repeat_link").exists()  # the sweep decides nothing
    client = signed_in(harry)
    review = client.get(reverse("repeats:review")).content.decode()
    assert 'data-testid="review-row"' in review and first.number in review and second.number in review
    page = link_rows(client, first)
    assert 'data-state="suggested"' in page and 'data-testid="repeat-confirm"' in page
    response = client.post(f"{reverse('repeats:link_step', args=[first.pk, link.pk, 'confirm'])}?next=review")
    assert response.status_code == 302 and response["Location"] == reverse("repeats:review")
    link.refresh_from_db()
    assert (link.state, link.decided_by) == ("linked", harry)
    assert {row.complaint_id for row in audit_rows(link)} == {first.pk, second.pk}
    assert 'data-testid="review-empty"' in client.get(reverse("repeats:review")).content.decode()


def test_a_dismissed_pair_needs_a_reason_and_is_not_suggested_again(signed_in, harry, first, second):
    link = services.suggest(case=second, other=first, relation=Relation.COMPLAINANT, score=0.7, reasons=[])
    client = signed_in(harry)
    url = reverse("repeats:link_step", args=[second.pk, link.pk, "dismiss"])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "คนละคน ชื่อพ้องกัน"})
    link.refresh_from_db()
    assert (link.state, link.note) == ("dismissed", "คนละคน ชื่อพ้องกัน")
    assert audit_rows(link).filter(after__state="dismissed").count() == 2
    assert services.suggest(case=first, other=second, relation=Relation.COMPLAINANT, score=0.9) is None
    # A decided pair is not decided again.
    with pytest.raises(services.CaseChanged):
        services.confirm(actor=harry, link=link)


def test_the_review_list_is_the_owning_heads(signed_in, alice, harry, hank, pete, kim, first, bobs):
    services.suggest(case=first, other=bobs, relation=Relation.RESPONDENT, score=0.8)
    # Both heads own a side; each sees his own case whole and the other as a minimal card.
    for head, mine, theirs in ((harry, first, bobs), (hank, bobs, first)):
        page = signed_in(head).get(reverse("repeats:review")).content.decode()
        assert mine.subject in page and theirs.number in page and theirs.subject not in page
    assert selectors.review(kim).rows == []
    # Officers decide from the case page; the list is for heads (and the province's, for its
    # escalated cases: none here).
    assert signed_in(alice).get(reverse("repeats:review")).status_code == 403
    assert selectors.review(pete).rows == []
