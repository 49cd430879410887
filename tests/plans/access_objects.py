"""Plan objects for the access-matrix test, by URL keyword."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tend.plans.models import Goal, Objective, Problem
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


def _template(cast: Cast) -> str:
    plan_library_seed(organization=cast.organization, actor=cast.clinician)
    return str(cast.organization.plan_templates.get(key="depression").public_id)


OBJECTS: dict[str, tuple[Callable[[Cast], str], bool]] = {
    "treatment_plan_id": (_plan, True),
    "problem_id": (_problem, True),
    "goal_id": (_goal, True),
    "objective_id": (_objective, True),
    "plan_template_id": (_template, True),
}

# <client_id> belongs to the clients app's tests (plan routes only need a client every
# clinical role may see); it is defined here only while no other table claims it.
if not any('"client_id"' in path.read_text() for path in _OTHER_TABLES):
    OBJECTS["client_id"] = (lambda cast: str(make_client(cast).public_id), True)
