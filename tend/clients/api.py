from __future__ import annotations

import uuid

from ninja import Query, Router

from tend.clients.access import client_for_user
from tend.clients.models import Client
from tend.clients.schemas import ClientListIn, ClientListOut, ClientOut, ClientSummaryOut
from tend.clients.selectors import caseload_page
from tend.clients.services import client_viewed_record
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

router = Router(tags=["clients"])


def _clinician_name(client: Client) -> str | None:
    return client.primary_clinician.display_name if client.primary_clinician else None


@router.get("/", response=ClientListOut)
@requires(Capability.OPEN_CLIENT_LIST)
def list_clients(request: MemberRequest, filters: Query[ClientListIn]) -> ClientListOut:
    """Clients the caller may see, 25 at a time; pass `next_after` back as `after`."""
    page = caseload_page(request.tenancy, request.user, status=filters.status, after=filters.after)
    return ClientListOut(
        items=[
            ClientSummaryOut(
                id=row.client.public_id,
                display_name=row.client.display_name,
                status=row.client.status,
                primary_clinician=_clinician_name(row.client),
            )
            for row in page.rows
        ],
        next_after=page.next_after,
    )


@router.get("/{client_id}", response=ClientOut)
@requires(Capability.OPEN_CLIENT_LIST)
def get_client(request: MemberRequest, client_id: uuid.UUID) -> ClientOut:
    """One client's demographics and status (the read is audited)."""
    access = client_for_user(request.tenancy, request.user, client_id)
    client_viewed_record(access=access, actor=request.user, via="api")
    client = access.client
    return ClientOut(
        id=client.public_id,
        legal_first_name=client.legal_first_name,
        legal_last_name=client.legal_last_name,
        preferred_name=client.preferred_name,
        date_of_birth=client.date_of_birth,
        pronouns=client.pronouns,
        gender_identity=client.gender_identity,
        phone=client.phone,
        email=client.email,
        preferred_language=client.preferred_language,
        interpreter_needed=client.interpreter_needed,
        status=client.status,
        primary_clinician=_clinician_name(client),
    )
