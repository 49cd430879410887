"""What assessments and diagnoses add to the client chart (registered in apps.py).

Each loader runs one query whatever the number of assessments or diagnoses.
"""

from __future__ import annotations

from typing import Any

from tend.assessments import selectors
from tend.clients.access import ClientAccess


def assessments_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    assessments = selectors.client_assessments(access.client)
    return {
        "client": access.client,
        "assessments": assessments,
        "draft": next((item for item in assessments if not item.is_signed), None),
        "can_write": access.can_write_clinical,
    }


def diagnoses_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    return {
        "client": access.client,
        "diagnoses": selectors.current_diagnoses(access.client),
        "can_write": access.can_write_clinical,
    }


def active_diagnoses_fact(access: ClientAccess, request: Any) -> dict[str, Any]:
    return {"active_diagnoses": selectors.active_diagnoses(access.client)}
