"""The client chart is assembled from sections that domain apps register.

Each app registers, from its AppConfig.ready(), the sections it contributes (assessments,
diagnoses, measures, plan, sessions, consents, referrals, documents) and the facts it adds
to the chart header (active diagnoses, risk level, plan review due). A section's loader
must run a fixed number of queries whatever the size of the record. Parts registered with
the same loader function share one load per chart: an app whose header fact shows part of
what its section reads (the risk status, the active plan) registers one loader for both.
The care team has one block, the clients app's: an app that keeps people from outside the
organization on the case (coordination's psychiatrists and PCPs) adds them with
`register_outside_care_team`.

A part's template receives its loader's context both as top-level variables and as
`fact` / `section`, plus `client` and `access`. A header fact's template renders one or
more `<div><dt>label</dt><dd>value</dd></div>` groups and nothing else: the chart puts
every fact's groups in one `<dl>`. Clinical parts are neither loaded nor shown without
clinical access.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string

from tend.clients.access import ClientAccess
from tend.clients.models import Client

SectionLoader = Callable[[ClientAccess, Any], dict[str, Any]]


@dataclass(frozen=True)
class ChartSection:
    key: str
    title: str
    order: int
    template: str
    loader: SectionLoader
    clinical: bool = True  # shown only to people with clinical access to this client


@dataclass(frozen=True)
class HeaderFact:
    key: str
    order: int
    template: str
    loader: SectionLoader
    clinical: bool = True


_SECTIONS: dict[str, ChartSection] = {}
_HEADER_FACTS: dict[str, HeaderFact] = {}


def register_chart_section(section: ChartSection) -> None:
    _SECTIONS[section.key] = section


def register_header_fact(fact: HeaderFact) -> None:
    _HEADER_FACTS[fact.key] = fact


def chart_sections() -> list[ChartSection]:
    return sorted(_SECTIONS.values(), key=lambda section: section.order)


def header_facts() -> list[HeaderFact]:
    return sorted(_HEADER_FACTS.values(), key=lambda fact: fact.order)


# The caseload's "next appointment" column is filled by whichever app schedules
# appointments (care). Until one registers, the column shows a dash: no placeholder data.
NextAppointmentProvider = Callable[[Sequence[Client]], dict[int, datetime]]
_NEXT_APPOINTMENT: list[NextAppointmentProvider] = []


def register_next_appointment_provider(provider: NextAppointmentProvider) -> None:
    """Register the function giving each client's next appointment (client pk → start).

    It receives a page of clients and must run a fixed number of queries for them.
    """
    _NEXT_APPOINTMENT[:] = [provider]


def next_appointments(clients: Sequence[Client]) -> dict[int, datetime]:
    if not _NEXT_APPOINTMENT or not clients:
        return {}
    return _NEXT_APPOINTMENT[0](clients)


@dataclass(frozen=True)
class OutsideTeamMember:
    """Someone outside the organization on the client's care team (a psychiatrist, a PCP)."""

    name: str
    role: str
    practice: str
    role_on_case: str
    since: date


OutsideTeamLoader = Callable[[ClientAccess], list[OutsideTeamMember]]
_OUTSIDE_TEAM: dict[str, OutsideTeamLoader] = {}


def register_outside_care_team(key: str, loader: OutsideTeamLoader) -> None:
    """Add an app's people from outside the organization to the chart's care-team block.

    The loader returns the client's current outside team and must run a fixed number of
    queries. It runs only for viewers with clinical access: who else treats the client
    (a psychiatrist, an addiction counselor) says something about their health.
    """
    _OUTSIDE_TEAM[key] = loader


def outside_care_team(access: ClientAccess) -> list[OutsideTeamMember]:
    """The client's current outside team from every registered app, or none without
    clinical access (the loaders do not even run)."""
    if not access.can_view_clinical:
        return []
    return [member for loader in _OUTSIDE_TEAM.values() for member in loader(access)]


@dataclass(frozen=True)
class RenderedPart:
    key: str
    title: str
    html: str  # rendered by the template engine, so already marked safe


def _render(template: str, context: dict[str, Any], access: ClientAccess, request: Any) -> str:
    # Templates may read their loader's context directly (`risk`) or under the part's
    # name (`fact.review`, `section.episodes`); both are offered.
    return render_to_string(
        template,
        {
            **context,
            "fact": context,
            "section": context,
            "client": access.client,
            "access": access,
        },
        request=request,
    )


def chart_parts(
    access: ClientAccess, request: Any
) -> tuple[list[RenderedPart], list[RenderedPart]]:
    """The header facts and sections this person may see, rendered, in order.

    Clinical parts are skipped (their loaders do not even run) without clinical access to
    this client.
    """
    loaded: dict[SectionLoader, dict[str, Any]] = {}

    def render(part: ChartSection | HeaderFact) -> str:
        if part.loader not in loaded:
            loaded[part.loader] = part.loader(access, request)
        return _render(part.template, loaded[part.loader], access, request)

    facts = [
        RenderedPart(fact.key, "", render(fact))
        for fact in header_facts()
        if access.can_view_clinical or not fact.clinical
    ]
    sections = [
        RenderedPart(section.key, section.title, render(section))
        for section in chart_sections()
        if access.can_view_clinical or not section.clinical
    ]
    return facts, sections
