"""The action registry (cases/actions.py) and the model's transitions say the same thing,
and every entry's parts exist and fit together."""

import inspect

import pytest

from cases.actions import ACTIONS, LABELS, OTHER_STEPS, available, label
from cases.forms import ActionForm
from cases.models import Complaint

TRANSITIONS = {t.name for t in Complaint._meta.get_field("status").get_all_transitions(Complaint)}


def test_every_transition_of_the_model_has_an_entry_and_every_entry_a_transition():
    assert set(ACTIONS) == TRANSITIONS
    assert not set(OTHER_STEPS) & TRANSITIONS, "intake and attach are steps, not transitions"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_an_entry_names_a_form_a_keyword_only_service_and_a_rule(name):
    action = ACTIONS[name]
    assert action.name == name
    assert issubclass(action.form_class, ActionForm)
    parameters = inspect.signature(action.run).parameters
    assert {"actor", "case", "expected_status"} <= set(parameters)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values()), "services take keywords only"
    # What the form cleans is what the service takes: the view passes cleaned_data as it is.
    fields = set(action.form_class.base_fields) - {"expected_status"}
    assert fields <= set(parameters), f"{action.form} fields the service does not take: {fields - set(parameters)}"
    required = {p for p, spec in parameters.items() if spec.default is inspect.Parameter.empty} - {"actor", "case"}
    assert required <= fields, f"{action.service} needs what {action.form} does not ask: {required - fields}"
    assert inspect.signature(action.rule).parameters.keys() == {"user", "case"}
    assert str(action.label) and label(name) == str(action.label)


def test_labels_cover_every_timeline_step_and_leave_an_unknown_one_as_it_is():
    assert set(LABELS) == set(ACTIONS) | set(OTHER_STEPS)
    assert label("something_else") == "something_else"


def test_available_asks_the_state_and_the_rule(new_case, alice, harry):
    # A new case: the district officer may propose an assignment, the head may not
    # (he approves, and there is nothing to approve yet).
    assert "propose_assignment" in {a.name for a in available(alice, new_case)}
    assert "propose_assignment" not in {a.name for a in available(harry, new_case)}
    assert "approve_assignment" not in {a.name for a in available(harry, new_case)}
