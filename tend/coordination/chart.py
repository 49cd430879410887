"""What care coordination adds to the client chart and the dashboard."""

from __future__ import annotations

from typing import Any

from tend.clients.access import ClientAccess
from tend.clients.chart import OutsideTeamMember
from tend.coordination import selectors
from tend.core.queries import first_rows_and_total
from tend.core.typing import MemberRequest

# The chart shows the latest few of each list; the client's coordination page has them all.
CHART_ROWS = 5


def consents_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    client = access.client
    today = selectors.organization_today(client.organization)
    consents, total = first_rows_and_total(selectors.consents_of(client), CHART_ROWS)
    return {
        "client": client,
        "consents": [(consent, consent.status_on(today)) for consent in consents],
        "total": total,
    }


def referrals_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    referrals, total = first_rows_and_total(selectors.referrals_of(access.client), CHART_ROWS)
    return {
        "client": access.client,
        "referrals": referrals,
        "total": total,
        "can_write": access.can_write_clinical,
    }


def coordination_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    # The team itself is in the clients app's care-team block (outside_care_team below).
    contacts, total = first_rows_and_total(selectors.contacts_of(access.client), CHART_ROWS)
    return {
        "client": access.client,
        "contacts": contacts,
        "total": total,
        "can_write": access.can_write_clinical,
    }


def outside_care_team(access: ClientAccess) -> list[OutsideTeamMember]:
    """The external providers on the case today, for the chart's care-team block."""
    client = access.client
    today = selectors.organization_today(client.organization)
    return [
        OutsideTeamMember(
            name=member.provider.name,
            role=member.provider.get_role_display(),
            practice=member.provider.practice,
            role_on_case=member.role_on_case,
            since=member.started_on,
        )
        for member in selectors.external_team_of(client, today)
    ]


def overdue_referrals_panel(request: MemberRequest) -> dict[str, Any] | None:
    today = selectors.organization_today(request.organization)
    overdue = selectors.overdue_referrals_for(request.user, request.organization, today)
    if not overdue:
        return None
    return {"referrals": overdue, "today": today}
