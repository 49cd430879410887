"""What care coordination adds to the client chart and the dashboard."""

from __future__ import annotations

from typing import Any

from tend.clients.access import ClientAccess
from tend.coordination import selectors
from tend.core.typing import MemberRequest


def consents_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    client = access.client
    today = selectors.organization_today(client.organization)
    return {
        "client": client,
        "consents": [
            (consent, consent.status_on(today)) for consent in selectors.consents_of(client)
        ],
    }


def referrals_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    return {
        "client": access.client,
        "referrals": list(selectors.referrals_of(access.client)),
        "can_write": access.can_write_clinical,
    }


def coordination_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    client = access.client
    today = selectors.organization_today(client.organization)
    return {
        "client": client,
        "team": selectors.care_team_of(client, today),
        "contacts": list(selectors.contacts_of(client)),
        "can_write": access.can_write_clinical,
    }


def overdue_referrals_panel(request: MemberRequest) -> dict[str, Any] | None:
    today = selectors.organization_today(request.organization)
    overdue = selectors.overdue_referrals_for(request.user, request.organization, today)
    if not overdue:
        return None
    return {"referrals": overdue, "today": today}
