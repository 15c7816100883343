"""The door between the case services and the workflow (cases/hooks.py): what the write
path asks, the workflow app answers, with the same parameters."""

import inspect

from cases import hooks
from workflows import port


def test_the_installed_workflow_is_workflows_port():
    assert hooks.workflow() is port


def test_port_answers_every_question_of_the_protocol_with_its_parameters():
    asked = {n for n, member in vars(hooks.Workflow).items() if inspect.isfunction(member) and not n.startswith("_")}
    assert asked == {"start", "perform", "progress_reported", "announce", "case_page"}
    for name in asked:
        wanted = [p for p in inspect.signature(getattr(hooks.Workflow, name)).parameters if p != "self"]
        assert list(inspect.signature(getattr(port, name)).parameters) == wanted, name
