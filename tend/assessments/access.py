"""The door to assessments and diagnoses: every one is reached through its client.

Both are clinical narrative, so the client must be open to the acting user clinically
(`client_for_user(..., clinical=True)`): outside the organization they do not exist (404);
front desk, billing, owners and admins get 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.http import Http404

from tend.accounts.models import User
from tend.assessments.models import Assessment, Diagnosis
from tend.clients.access import ClientAccess, client_for_user
from tend.core.tenancy import Tenancy


@dataclass(frozen=True)
class AssessmentAccess:
    assessment: Assessment
    client_access: ClientAccess


@dataclass(frozen=True)
class DiagnosisAccess:
    diagnosis: Diagnosis
    client_access: ClientAccess


def assessment_for_user(
    tenancy: Tenancy, user: User, assessment_id: uuid.UUID, *, write: bool = False
) -> AssessmentAccess:
    """Fetch an assessment the user may read (or, with `write=True`, change), or refuse."""
    assessment = (
        Assessment.objects.select_related("template", "client", "author", "signed_by", "episode")
        .filter(public_id=assessment_id, client__organization__in=tenancy.organizations)
        .first()
    )
    if assessment is None:
        raise Http404
    access = client_for_user(tenancy, user, assessment.client.public_id, clinical=True, write=write)
    return AssessmentAccess(assessment=assessment, client_access=access)


def diagnosis_for_user(
    tenancy: Tenancy, user: User, diagnosis_id: uuid.UUID, *, write: bool = False
) -> DiagnosisAccess:
    """Fetch one diagnosis entry the user may read (or change), or refuse."""
    diagnosis = (
        Diagnosis.objects.select_related("client", "diagnosed_by")
        .filter(public_id=diagnosis_id, client__organization__in=tenancy.organizations)
        .first()
    )
    if diagnosis is None:
        raise Http404
    access = client_for_user(tenancy, user, diagnosis.client.public_id, clinical=True, write=write)
    return DiagnosisAccess(diagnosis=diagnosis, client_access=access)
