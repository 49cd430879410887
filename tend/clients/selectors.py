"""Reads of client records, always scoped to what the acting user may see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.clients.access import ClientAccess, visible_clients
from tend.clients.chart import next_appointments, outside_care_team
from tend.clients.models import CareTeamMember, CaseGroup, CaseGroupMember, Client, Episode
from tend.core.permissions import Capability
from tend.core.tenancy import Tenancy

PAGE_SIZE = 25
MAX_QUERY_LENGTH = 100
MAX_SEARCH_TERMS = 4
# pg_trgm indexes three-character sequences: a shorter term has none to look up.
TRIGRAM_LENGTH = 3
ADULT_AGE = 18


def default_status_filter(tenancy: Tenancy) -> str:
    """Clinicians start from their active caseload; everyone else from all clients."""
    if tenancy.can(Capability.VIEW_DEMOGRAPHICS):
        return ""
    return Client.Status.ACTIVE


@dataclass(frozen=True)
class CaseloadRow:
    client: Client
    age: int
    flags: list[str]
    next_appointment: datetime | None


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseloadRow]
    query: str
    status: str
    next_after: uuid.UUID | None
    is_first_page: bool = True


def _row_flags(client: Client, age: int, *, has_open_episode: bool) -> list[str]:
    flags = []
    if age < ADULT_AGE:
        flags.append("Minor")
    if client.interpreter_needed:
        flags.append(f"Interpreter: {client.preferred_language}")
    if client.status == Client.Status.ACTIVE and not has_open_episode:
        flags.append("No open episode")
    return flags


def caseload_page(
    tenancy: Tenancy,
    user: User,
    *,
    query: str = "",
    status: str = "",
    after: uuid.UUID | None = None,
) -> CaseloadPage:
    """One page of the clients this user may see, searched by legal or preferred name.

    Keyset-paginated by (last name, first name, id): `after` is the public id of the last
    client of the previous page. A fixed number of queries whatever the caseload's size.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    terms = query.split()[:MAX_SEARCH_TERMS]
    clients = visible_clients(tenancy, user)
    if status in Client.Status.values:
        clients = clients.filter(status=status)
    else:
        status = ""
    for term in terms:
        clients = clients.filter(
            Q(legal_first_name__icontains=term)
            | Q(legal_last_name__icontains=term)
            | Q(preferred_name__icontains=term)
        )
    if after is not None:
        last = (
            clients.filter(public_id=after)
            .values("legal_last_name", "legal_first_name", "id")
            .first()
        )
        if last is not None:
            clients = clients.filter(
                Q(legal_last_name__gt=last["legal_last_name"])
                | Q(
                    legal_last_name=last["legal_last_name"],
                    legal_first_name__gt=last["legal_first_name"],
                )
                | Q(
                    legal_last_name=last["legal_last_name"],
                    legal_first_name=last["legal_first_name"],
                    id__gt=last["id"],
                )
            )
    open_episode = Episode.objects.filter(client=OuterRef("pk"), discharge_date__isnull=True)
    last_name: str | Concat = "legal_last_name"
    if any(len(term) >= TRIGRAM_LENGTH for term in terms):
        # PostgreSQL's trigram index (migration 0002) finds these matches directly, and
        # sorting them is cheap. Ordered by the bare column, the planner would rather walk
        # the name index alphabetically until 26 rows pass the filter, and names cluster:
        # "zie" reads almost every client before the first Zielinski (up to 80 ms at 60,000
        # clients against 3 ms). Sorting on an expression keeps that index out of the plan;
        # the order is the same.
        last_name = Concat("legal_last_name", Value(""))
    page = list(
        clients.select_related("primary_clinician")
        .annotate(has_open_episode=Exists(open_episode))
        .order_by(last_name, "legal_first_name", "id")[: PAGE_SIZE + 1]
    )
    has_more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    today = timezone.localdate()
    appointments = next_appointments(page)
    rows = []
    for client in page:
        age = client.age_on(today)
        rows.append(
            CaseloadRow(
                client=client,
                age=age,
                flags=_row_flags(client, age, has_open_episode=client.has_open_episode),
                next_appointment=appointments.get(client.pk),
            )
        )
    return CaseloadPage(
        rows=rows,
        query=query,
        status=status,
        next_after=page[-1].public_id if has_more else None,
        is_first_page=after is None,
    )


def clinicians_of(organization: Organization) -> QuerySet[User]:
    """People who may hold a caseload in the organization (for pickers)."""
    return (
        User.objects.filter(
            memberships__organization=organization,
            memberships__role__in=("clinician", "associate", "supervisor"),
            is_active=True,
        )
        .distinct()
        .order_by("display_name")
    )


def groups_to_join(tenancy: Tenancy, user: User, client: Client) -> QuerySet[CaseGroup]:
    """Couple and family groups with a member this user may see, that `client` is not in."""
    seen = visible_clients(tenancy, user).values("id")
    return (
        CaseGroup.objects.filter(organization=client.organization, members__client_id__in=seen)
        .exclude(members__client=client)
        .distinct()
        .order_by("name")
    )


# Chart section loaders: each runs a fixed number of queries whatever the size of the record.


def episodes_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    episodes = Episode.objects.filter(client=access.client).order_by("-admission_date")
    if not access.can_view_clinical:
        # Front desk and billing never load the clinical narrative, let alone show it.
        episodes = episodes.defer("presenting_concern", "discharge_summary")
    episode_list = list(episodes)
    return {
        "episodes": episode_list,
        "has_open_episode": any(episode.is_open for episode in episode_list),
    }


def care_team_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    """The one care-team block: colleagues on the case and, for viewers with clinical
    access, the providers outside the organization that other apps register."""
    members = list(
        CareTeamMember.objects.filter(client=access.client)
        .select_related("user")
        .order_by("ended_on", "-started_on")
    )
    today = timezone.localdate()
    return {
        "current": [member for member in members if not member.has_left_by(today)],
        "past": [member for member in members if member.has_left_by(today)],
        "outside": outside_care_team(access),
    }


@dataclass(frozen=True)
class GroupView:
    group: CaseGroup
    role: str
    others: list[CaseGroupMember]


def client_case_groups(client: Client) -> list[GroupView]:
    """The client's couple and family groups with their other members (one query)."""
    memberships = list(
        CaseGroupMember.objects.filter(
            group__in=CaseGroupMember.objects.filter(client=client).values("group_id")
        )
        .select_related("group", "client")
        .order_by("group__name", "client__legal_last_name", "client__legal_first_name")
    )
    views: dict[int, GroupView] = {}
    for membership in memberships:
        if membership.client_id == client.pk:
            views[membership.group_id] = GroupView(
                membership.group, membership.get_role_display(), []
            )
    for membership in memberships:
        if membership.client_id != client.pk and membership.group_id in views:
            views[membership.group_id].others.append(membership)
    return list(views.values())


def case_groups_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    return {"groups": client_case_groups(access.client)}


def demographics_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    return {}
