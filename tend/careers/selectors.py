"""Reads of postings and applications, scoped to who asks."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from tend.accounts.models import Organization, User
from tend.careers.eligibility import Credentials, qualifying_filter
from tend.careers.models import (
    ApplicationNote,
    JobApplication,
    JobPosting,
    SavedSearch,
    WorkArrangement,
    codes_join,
)

PAGE_SIZE = 20
# Offset pagination bounded: deeper pages than this are refused (refine the search).
MAX_PAGE = 50
_WORD = re.compile(r"\w+", re.UNICODE)
RESULT_PAGE_OMITS = ("description", "benefits", "search_document")


@dataclass(frozen=True)
class JobSearch:
    """What the searcher asked for; every field optional."""

    text: str = ""
    state: str = ""
    setting: str = ""
    family: str = ""
    employment_type: str = ""
    modality: str = ""
    population: str = ""
    associate_friendly: bool = False
    supervision_provided: bool = False
    remote_or_hybrid: bool = False
    pay_floor: int | None = None
    only_qualifying: bool = False
    sort: str = "relevance"
    page: int = 1

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text.lower())[:12]


@dataclass
class SearchPage:
    postings: list[JobPosting]
    page: int
    has_next: bool
    sort: str
    total_shown: int = field(default=0)


def open_postings(today: date) -> QuerySet[JobPosting]:
    """Postings still valid today: expired or closed ones leave search."""
    return JobPosting.objects.filter(is_closed=False, valid_through__gte=today)


def _has(field_name: str, code: str) -> Q:
    return Q(**{f"{field_name}__contains": codes_join([code])})


def _full_text(queryset: QuerySet[JobPosting], words: list[str]) -> QuerySet[JobPosting]:
    """Every word must match; `rank` is higher for better matches. One selector, two engines."""
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config="english", search_type="plain")
        # The stored generated column of migration 0004 (PostgreSQL only, so not a model
        # field): ranking reads it instead of parsing every matching posting's text.
        vector = RawSQL(  # noqa: S611  (a fixed column name, no input)
            f"{connection.ops.quote_name(JobPosting._meta.db_table)}.search_vector",
            (),
            output_field=SearchVectorField(),
        )
        # The vector is only matched against, never read: an alias keeps it out of the rows.
        return (
            queryset.alias(search_vector=vector)
            .annotate(rank=SearchRank(vector, query))
            .filter(search_vector=query)
        )
    # SQLite FTS5: each word quoted (no operators from user input), prefix-matched, ANDed.
    # A join on the FTS table's rowid lets FTS5 drive the query and expose its built-in
    # `rank` (bm25, lower is better); the statement is constant and the words are bound.
    match = " ".join(f'"{word}"*' for word in words)
    return queryset.extra(
        tables=["careers_jobposting_fts"],
        where=[
            "careers_jobposting_fts.rowid = careers_jobposting.id",
            "careers_jobposting_fts MATCH %s",
        ],
        params=[match],
        select={"rank": "-careers_jobposting_fts.rank"},
    )


def _qualifying(credentials: Credentials) -> Q:
    combos = qualifying_filter(credentials)
    if not combos:
        return Q(pk__in=[])
    # Grouped by family so each posting's family is tested once, then its states.
    states_by_family: dict[tuple[str, bool], list[str]] = {}
    for state, family, needs_associate_support in combos:
        states_by_family.setdefault((family, needs_associate_support), []).append(state)
    condition = Q()
    for (family, needs_associate_support), states in sorted(states_by_family.items()):
        in_any_state = Q()
        for state in states:
            in_any_state |= _has("licensed_states", state)
        clause = _has("license_families", family) & in_any_state
        if needs_associate_support:
            clause &= Q(accepts_associates=True, supervision_provided=True)
        condition |= clause
    return condition


def matching_postings(
    search: JobSearch, *, today: date, credentials: Credentials | None = None
) -> QuerySet[JobPosting]:
    """Open postings meeting every criterion of `search`, unordered; full text adds `rank`.

    "Only jobs I qualify for" uses the same rules as the eligibility shown on each result
    (`qualifying_filter`), so it filters in the database.
    """
    queryset = open_postings(today).select_related("organization")
    if search.state:
        queryset = queryset.filter(_has("licensed_states", search.state))
    if search.setting:
        queryset = queryset.filter(setting=search.setting)
    if search.family:
        queryset = queryset.filter(_has("license_families", search.family))
    if search.employment_type:
        queryset = queryset.filter(employment_type=search.employment_type)
    if search.modality:
        queryset = queryset.filter(_has("modalities", search.modality))
    if search.population:
        queryset = queryset.filter(_has("populations", search.population))
    if search.associate_friendly:
        queryset = queryset.filter(accepts_associates=True)
    if search.supervision_provided:
        queryset = queryset.filter(supervision_provided=True)
    if search.remote_or_hybrid:
        queryset = queryset.filter(
            work_arrangement__in=[WorkArrangement.REMOTE, WorkArrangement.HYBRID]
        )
    if search.pay_floor is not None:
        queryset = queryset.filter(annual_pay_max__gte=search.pay_floor)
    if search.only_qualifying and credentials is not None:
        queryset = queryset.filter(_qualifying(credentials))
    if search.words:
        queryset = _full_text(queryset, search.words)
    return queryset


def search_postings(
    search: JobSearch, *, today: date, credentials: Credentials | None = None
) -> SearchPage:
    """One page of open postings matching `search`: one query whatever the data size."""
    queryset = matching_postings(search, today=today, credentials=credentials)
    sort = search.sort
    if sort == "relevance" and not search.words:
        sort = "date"
    ordering = {
        "relevance": ["-rank", "-posted_on", "-id"],
        "date": ["-posted_on", "-id"],
        "pay": ["-annual_pay_max", "-id"],
    }[sort]
    page = min(max(search.page, 1), MAX_PAGE)
    start = (page - 1) * PAGE_SIZE
    # A results page shows neither the long texts nor the search document.
    queryset = queryset.defer(*RESULT_PAGE_OMITS)
    rows = list(queryset.order_by(*ordering)[start : start + PAGE_SIZE + 1])
    return SearchPage(
        postings=rows[:PAGE_SIZE], page=page, has_next=len(rows) > PAGE_SIZE, sort=sort
    )


def posting_public(posting_id: uuid.UUID, *, today: date) -> JobPosting | None:
    """An open posting anyone may read, or None."""
    return open_postings(today).select_related("organization").filter(public_id=posting_id).first()


def organization_postings(organization: Organization) -> QuerySet[JobPosting]:
    return JobPosting.objects.filter(organization=organization).order_by("-posted_on", "-id")


def applications_for_posting(posting: JobPosting) -> QuerySet[JobApplication]:
    return posting.applications.select_related("applicant").order_by("created_at")


def application_notes(application: JobApplication) -> QuerySet[ApplicationNote]:
    return application.notes.select_related("author").order_by("created_at")


def applications_of(user: User) -> QuerySet[JobApplication]:
    return JobApplication.objects.filter(applicant=user).select_related(
        "posting", "posting__organization"
    )


def saved_searches_of(user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(owner=user).order_by("name", "id")
