"""The door to measures records: each object is fetched in the acting user's
organizations (else 404) and then its client through `client_for_user` with clinical
access (403 for people who may not see that client's clinical record)."""

from __future__ import annotations

import uuid

from django.db.models import Model, QuerySet
from django.http import Http404

from tend.accounts.models import User
from tend.clients.access import ClientAccess, client_for_user
from tend.core.tenancy import Tenancy
from tend.measures.models import MeasureResponse, MeasureSchedule, RiskAlert, SafetyPlan


def _fetch[T: Model](queryset: QuerySet[T], tenancy: Tenancy, public_id: uuid.UUID) -> T:
    found = (
        queryset.select_related("client", "organization")
        .filter(public_id=public_id, organization__in=tenancy.organizations)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _client_access(tenancy: Tenancy, user: User, obj: Model, *, write: bool) -> ClientAccess:
    client = obj.client  # type: ignore[attr-defined]
    return client_for_user(tenancy, user, client.public_id, clinical=True, write=write)


def response_for_user(
    tenancy: Tenancy, user: User, response_id: uuid.UUID, *, write: bool = False
) -> tuple[MeasureResponse, ClientAccess]:
    response = _fetch(MeasureResponse.objects.all(), tenancy, response_id)
    return response, _client_access(tenancy, user, response, write=write)


def alert_for_user(
    tenancy: Tenancy, user: User, alert_id: uuid.UUID
) -> tuple[RiskAlert, ClientAccess]:
    """An alert may be acknowledged by anyone who may write the client's clinical record
    (the recipient, a covering colleague, the supervisor)."""
    alert = _fetch(RiskAlert.objects.select_related("response"), tenancy, alert_id)
    return alert, _client_access(tenancy, user, alert, write=True)


def safety_plan_for_user(
    tenancy: Tenancy, user: User, plan_id: uuid.UUID, *, write: bool = False
) -> tuple[SafetyPlan, ClientAccess]:
    plan = _fetch(SafetyPlan.objects.select_related("created_by"), tenancy, plan_id)
    return plan, _client_access(tenancy, user, plan, write=write)


def schedule_for_user(
    tenancy: Tenancy, user: User, schedule_id: uuid.UUID
) -> tuple[MeasureSchedule, ClientAccess]:
    schedule = _fetch(MeasureSchedule.objects.all(), tenancy, schedule_id)
    return schedule, _client_access(tenancy, user, schedule, write=True)
