"""Assessment and diagnosis objects for the access-matrix test, on the client every clinical
role of the cast may open (tests/clients/factories.py: make_shared_client)."""

from __future__ import annotations

from tests.assessments.factories import make_assessment, make_diagnosis
from tests.conftest import Cast


def _assessment(cast: Cast) -> str:
    return str(make_assessment(cast).public_id)


def _diagnosis(cast: Cast) -> str:
    return str(make_diagnosis(cast).public_id)


OBJECTS = {
    "assessment_id": (_assessment, True),
    "diagnosis_id": (_diagnosis, True),
}
