"""What assessments and diagnoses add to the client chart (registered in apps.py).

Each loader runs one query whatever the number of assessments or diagnoses; the
Diagnoses section and the header's active diagnoses share theirs.
"""

from __future__ import annotations

from typing import Any

from tend.assessments import selectors
from tend.assessments.models import Diagnosis
from tend.clients.access import ClientAccess


def assessments_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    assessments = selectors.client_assessments(access.client)
    return {
        "client": access.client,
        "assessments": assessments,
        "draft": next((item for item in assessments if not item.is_signed), None),
        "can_write": access.can_write_clinical,
    }


def diagnoses(access: ClientAccess, request: Any) -> dict[str, Any]:
    """The Diagnoses section and the header's active diagnoses, from one read."""
    current = selectors.current_diagnoses(access.client)
    return {
        "client": access.client,
        "diagnoses": current,
        "active_diagnoses": [row for row in current if row.status != Diagnosis.Status.RESOLVED],
        "can_write": access.can_write_clinical,
    }
