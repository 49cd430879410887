"""The client chart is assembled from sections that domain apps register.

Each app registers, from its AppConfig.ready(), the sections it contributes (assessments,
diagnoses, measures, plan, sessions, consents, referrals, documents) and the facts it adds
to the chart header (active diagnoses, risk level, plan review due). A section's loader
must run a fixed number of queries whatever the size of the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tend.clients.access import ClientAccess

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
