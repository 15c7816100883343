"""The start page: the officer's tasks due soonest, the cases waiting for her,
her district's counts, and what she does most, in a bounded number of queries."""

import pytest
from django.urls import reverse

from cases.models import Status
from workflows.selectors import my_tasks, queue_tasks

pytestmark = pytest.mark.django_db


def test_alice_sees_her_waiting_cases_counts_and_quick_actions(case_in, alice, signed_in):
    waiting = case_in(Status.RECEIVED)
    client = signed_in(alice)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="quick-intake"' in html and reverse("cases:intake") in html
    assert 'name="q"' in html and f'action="{reverse("cases:list")}"' in html
    # The recorded case waits in the district officers' queue: it is on her start page.
    assert queue_tasks(alice).filter(complaint=waiting).exists()
    assert f'data-case="{waiting.number}"' in html
    counts = response.context["sections"]
    (counts_context,) = [data for template, data in counts if template == "cases/home/counts.html"]
    assert counts_context["counts"]["open"] == 1
    assert counts_context["counts"]["received_this_month"] == 1


def test_tom_sees_the_case_he_accepted_and_the_one_waiting_for_his_team(alice, harry, tom, team, signed_in):
    from cases import services
    from tests.case_fixtures import intake_data

    def assigned(subject):
        case, _ = services.case_intake(actor=alice, district=alice.district, data=intake_data(subject=subject))
        services.case_propose_assignment(actor=alice, case=case, team=team)
        return services.case_approve_assignment(actor=harry, case=case)

    accepted, waiting = assigned("ถนนชำรุดหน้าโรงเรียน"), assigned("ไฟฟ้าส่องสว่างดับทั้งซอย")
    services.case_accept(actor=tom, case=accepted)
    assert my_tasks(tom).filter(complaint=accepted).exists()
    assert queue_tasks(tom).filter(complaint=waiting).exists()

    html = signed_in(tom).get(reverse("home")).content.decode()

    mine_section = html.split('data-testid="home-mine"', 1)[1].split('data-testid="home-waiting"', 1)[0]
    waiting_section = html.split('data-testid="home-waiting"', 1)[1]
    assert accepted.number in mine_section and waiting.number not in mine_section
    assert waiting.number in waiting_section
    assert 'data-testid="quick-intake"' not in html  # Tom does not record complaints


def test_bob_sees_nothing_of_mueang(case_in, bob, signed_in):
    case = case_in(Status.RECEIVED)

    html = signed_in(bob).get(reverse("home")).content.decode()

    assert case.number not in html and case.subject not in html


def test_the_start_page_makes_a_bounded_number_of_queries(case_in, alice, signed_in, django_assert_max_num_queries):
    client = signed_in(alice)
    for _ in range(3):
        case_in(Status.RECEIVED)
    client.get(reverse("home"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("home"))
    for _ in range(12):
        case_in(Status.RECEIVED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


def test_a_user_without_a_district_gets_no_district_counts(carol, signed_in):
    response = signed_in(carol).get(reverse("home"))

    assert response.status_code == 200
    assert all(template != "cases/home/counts.html" for template, _ in response.context["sections"])
