"""Plan objects for the access-matrix test, by URL keyword."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tend.plans.models import Goal, Objective, PlanTemplate, Problem
from tend.plans.services import plan_library_seed
from tests.conftest import Cast
from tests.plans.helpers import make_active_plan, make_client

_OTHER_TABLES = [
    path
    for path in Path(__file__).parents[1].glob("*/access_objects.py")
    if path.parent.name != "plans"
]


def _plan(cast: Cast) -> str:
    return str(make_active_plan(cast).public_id)


def _problem(cast: Cast) -> str:
    return str(Problem.objects.get(plan=make_active_plan(cast)).public_id)


def _goal(cast: Cast) -> str:
    return str(Goal.objects.get(problem__plan=make_active_plan(cast)).public_id)


def _objective(cast: Cast) -> str:
    return str(Objective.objects.get(goal__problem__plan=make_active_plan(cast)).public_id)


def _depression_template(cast: Cast) -> PlanTemplate:
    plan_library_seed(organization=cast.organization, actor=cast.clinician)
    return cast.organization.plan_templates.get(key="depression")


def _template(cast: Cast) -> str:
    return str(_depression_template(cast).public_id)


def _objective_template(cast: Cast) -> str:
    return str(_depression_template(cast).objectives.get(position=1).public_id)


def _intervention_template(cast: Cast) -> str:
    return str(_depression_template(cast).interventions.get(position=1).public_id)


OBJECTS: dict[str, tuple[Callable[[Cast], str], bool]] = {
    "treatment_plan_id": (_plan, True),
    "problem_id": (_problem, True),
    "goal_id": (_goal, True),
    "objective_id": (_objective, True),
    "plan_template_id": (_template, True),
    "objective_template_id": (_objective_template, True),
    "intervention_template_id": (_intervention_template, True),
}

# <client_id> belongs to the clients app's tests (plan routes only need a client every
# clinical role may see); it is defined here only while no other table claims it.
if not any('"client_id"' in path.read_text() for path in _OTHER_TABLES):
    OBJECTS["client_id"] = (lambda cast: str(make_client(cast).public_id), True)
