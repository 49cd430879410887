"""The assessments API: a client's assessments (metadata only) and current diagnoses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

from tend.assessments.services import diagnosis_change
from tend.audit.models import AuditEvent
from tests.assessments.factories import make_assessment, make_diagnosis
from tests.clients.factories import make_shared_client
from tests.conftest import Cast, signed_in

NOW = datetime(2026, 11, 20, 21, 4, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_lists_assessments_without_their_answers(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)

    response = signed_in(cast.associate).get(
        f"/api/v1/assessments/clients/{assessment.client.public_id}/assessments"
    )

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(assessment.public_id),
            "template": "biopsychosocial",
            "template_version": 1,
            "status": "signed",
            "author": "Cleo Clinician",
            "started_at": "2026-11-20T21:04:00Z",
            "signed_at": "2026-11-20T21:04:00Z",
            "content_hash": assessment.content_hash,
        }
    ]
    [event] = AuditEvent.objects.filter(action="assessments.viewed")
    assert (event.actor_id, event.subject_type, event.client_id) == (
        cast.associate.public_id,
        "clients.client",
        assessment.client.public_id,
    )


def test_it_lists_the_current_entry_of_each_diagnosis(cast: Cast) -> None:
    first = make_diagnosis(cast, code="F41.1")
    current = diagnosis_change(
        diagnosis=first, actor=cast.clinician, code="F41.1", rank="principal", status="confirmed"
    )

    response = signed_in(cast.clinician).get(
        f"/api/v1/assessments/clients/{first.client.public_id}/diagnoses"
    )

    assert response.json() == [
        {
            "id": str(current.public_id),
            "code": "F41.1",
            "description": "Generalized anxiety disorder",
            "code_set_version": "ICD-10-CM April 1, 2026 update",
            "rank": "principal",
            "status": "confirmed",
            "onset_date": None,
            "resolution_date": None,
            "diagnosed_by": "Cleo Clinician",
            "recorded_at": "2026-11-20T21:04:00Z",
            "supersedes": str(first.public_id),
        }
    ]


@pytest.mark.parametrize("role", ["front_desk", "biller", "owner", "admin"])
def test_roles_without_clinical_access_are_refused(cast: Cast, role: str) -> None:
    client = make_shared_client(cast)

    for path in ("assessments", "diagnoses"):
        response = signed_in(getattr(cast, role)).get(
            f"/api/v1/assessments/clients/{client.public_id}/{path}"
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_an_outsider_gets_not_found(cast: Cast) -> None:
    client = make_shared_client(cast)

    response = signed_in(cast.outsider).get(
        f"/api/v1/assessments/clients/{client.public_id}/diagnoses"
    )

    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="assessments.viewed").count() == 0
