from __future__ import annotations

import uuid

from ninja import Router

from tend.assessments import selectors
from tend.assessments.schemas import AssessmentOut, DiagnosisOut
from tend.audit.services import audit_read_record
from tend.clients.access import client_for_user
from tend.clients.models import Client
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

router = Router(tags=["assessments"])


def _record_view(request: MemberRequest, client: Client) -> None:
    audit_read_record(
        request,
        action="assessments.viewed",
        subject=client,
        organization=client.organization,
        client_id=client.public_id,
    )


@router.get("/clients/{uuid:client_id}/assessments", response=list[AssessmentOut])
@requires(Capability.VIEW_CLINICAL)
def client_assessments(request: MemberRequest, client_id: uuid.UUID) -> list[AssessmentOut]:
    """A client's assessments, newest first: metadata only, never the answers."""
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    assessments = selectors.client_assessments(access.client)
    _record_view(request, access.client)
    return [
        AssessmentOut(
            id=assessment.public_id,
            template=assessment.template.key,
            template_version=assessment.template.version,
            status=assessment.status,
            author=assessment.author.display_name,
            started_at=assessment.created_at,
            signed_at=assessment.signed_at,
            content_hash=assessment.content_hash,
        )
        for assessment in assessments
    ]


@router.get("/clients/{uuid:client_id}/diagnoses", response=list[DiagnosisOut])
@requires(Capability.VIEW_CLINICAL)
def client_diagnoses(request: MemberRequest, client_id: uuid.UUID) -> list[DiagnosisOut]:
    """A client's current diagnoses (the latest entry of each), principal first."""
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    diagnoses = selectors.current_diagnoses(access.client)
    _record_view(request, access.client)
    return [
        DiagnosisOut(
            id=diagnosis.public_id,
            code=diagnosis.code,
            description=diagnosis.description,
            code_set_version=diagnosis.code_set_version,
            rank=diagnosis.rank,
            status=diagnosis.status,
            onset_date=diagnosis.onset_date,
            resolution_date=diagnosis.resolution_date,
            diagnosed_by=diagnosis.diagnosed_by.display_name,
            recorded_at=diagnosis.created_at,
            supersedes=diagnosis.supersedes.public_id if diagnosis.supersedes else None,
        )
        for diagnosis in diagnoses
    ]
