from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router

from tend.audit.services import audit_read_record
from tend.clients.access import client_for_user
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.measures import selectors
from tend.measures.schemas import MeasureResponseOut, RiskStatusOut

router = Router(tags=["measures"])


@router.get("/clients/{client_id}/responses", response=list[MeasureResponseOut])
@requires(Capability.VIEW_CLINICAL)
def list_responses(request: HttpRequest, client_id: uuid.UUID) -> list[MeasureResponseOut]:
    """Every score of the client, newest first, with its change label."""
    access = client_for_user(
        request.tenancy,  # type: ignore[attr-defined]
        request.user,  # type: ignore[arg-type]
        client_id,
        clinical=True,
    )
    audit_read_record(
        request,
        action="measures.viewed",
        subject=access.client,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    overview = selectors.measures_overview(access.client)
    return [
        MeasureResponseOut(
            id=row.response.public_id,
            instrument_id=row.response.instrument_id,
            administered_at=row.response.administered_at,
            mode=row.response.mode,
            total=row.response.total,
            band=row.response.band,
            risk_level=row.response.risk_level,
            critical_items=[flag["id"] for flag in row.response.triggered_flags],
            change_label=row.change.label if row.change else None,
            voided=row.response.is_void,
        )
        for row in overview.responses
    ]


@router.get("/clients/{client_id}/risk", response=RiskStatusOut)
@requires(Capability.VIEW_CLINICAL)
def risk(request: HttpRequest, client_id: uuid.UUID) -> RiskStatusOut:
    """The chart header's risk facts."""
    access = client_for_user(
        request.tenancy,  # type: ignore[attr-defined]
        request.user,  # type: ignore[arg-type]
        client_id,
        clinical=True,
    )
    audit_read_record(
        request,
        action="measures.viewed",
        subject=access.client,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    status = selectors.risk_status(access.client)
    return RiskStatusOut(
        risk_level=status.assessment.level if status.assessment else None,
        assessed_at=status.assessment.assessed_at if status.assessment else None,
        flag_raised=status.flag_raised,
        safety_plan_version=status.safety_plan.version if status.safety_plan else None,
        open_alerts=len(status.open_alerts),
    )
