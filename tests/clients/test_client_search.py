"""The client name search: what it matches, in which order, and the index serving it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.clients.models import Client
from tests.clients.factories import make_client
from tests.conftest import Cast, signed_in

RESULTS = reverse("clients:caseload_results")


def _names(cast: Cast, query: str, after: str = "") -> tuple[list[str], str]:
    """Names on one results page for the front desk, and the keyset for the next."""
    response = signed_in(cast.front_desk).post(
        RESULTS, {"q": query, "status": "", "after": after}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.context["page"]
    next_after = str(page.next_after) if page.next_after else ""
    return [row.client.legal_name for row in page.rows], next_after


def test_a_term_matches_inside_any_name_whatever_its_case(cast: Cast) -> None:
    make_client(cast, first="Teodora", last="Zielinski")
    make_client(cast, first="Ana", last="Mbeki", preferred_name="Ziel")
    make_client(cast, first="Kaziel", last="Moreau")
    make_client(cast, first="Zoe", last="Iverson")
    assert _names(cast, "IEL") == (["Ana Mbeki", "Kaziel Moreau", "Teodora Zielinski"], "")
    assert _names(cast, "zi") == (["Ana Mbeki", "Kaziel Moreau", "Teodora Zielinski"], "")
    assert _names(cast, "ziel MOR") == (["Kaziel Moreau"], "")
    assert _names(cast, "zzq") == ([], "")


def test_a_long_term_pages_in_name_order_like_a_short_one(cast: Cast) -> None:
    # Matches spread among clients that do not match, created out of alphabetical order,
    # with last names shared by several first names.
    for index in range(30):
        make_client(
            cast,
            first=f"Rin{(29 - index) % 7}",
            last=f"Marsh{index % 10}",
            born=date(1960, 1, 1) + timedelta(days=index),
            allow_duplicate=True,
        )
        make_client(cast, first="Pell", last=f"Abbot{index}", allow_duplicate=True)
    expected = list(
        Client.objects.filter(legal_last_name__startswith="Marsh")
        .order_by("legal_last_name", "legal_first_name", "id")
        .values_list("legal_first_name", "legal_last_name")
    )
    for query in ("arsh", "rs"):
        first, after = _names(cast, query)
        second, last = _names(cast, query, after)
        assert last == ""
        assert first + second == [f"{first} {last}" for first, last in expected]
        assert len(first) == 25


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_the_trigram_index_over_the_three_searched_names_exists(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'clients_client_name_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert definition == (
        "CREATE INDEX clients_client_name_trgm ON public.clients_client USING gin "
        "(upper((legal_first_name)::text) gin_trgm_ops, "
        "upper((legal_last_name)::text) gin_trgm_ops, "
        "upper((preferred_name)::text) gin_trgm_ops)"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_postgresql_finds_a_searched_name_through_the_trigram_index(cast: Cast) -> None:
    # A front desk's list of a few thousand clients, the matches all late in the alphabet
    # (rows straight in: the services add nothing to what the planner sees).
    Client.objects.bulk_create(
        Client(
            organization=cast.organization,
            legal_first_name=f"Person{index:04d}",
            legal_last_name="Zielinski" if index % 30 == 0 else f"Family{index % 300:03d}",
            date_of_birth=date(1980, 1, 1),
            status=Client.Status.ACTIVE,
        )
        for index in range(3000)
    )
    with connection.cursor() as cursor:
        # What autovacuum does in a running system: merge the index's pending insertions
        # (which the planner costs as a scan) and gather statistics.
        cursor.execute("SELECT gin_clean_pending_list('clients_client_name_trgm')")
        cursor.execute("ANALYZE clients_client")
    with CaptureQueriesContext(connection) as queries:
        names, _ = _names(cast, "ziel")
    assert names == [f"Person{index:04d} Zielinski" for index in range(0, 750, 30)]
    (search,) = [query["sql"] for query in queries if "LIKE" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Not the name B-tree walked in order until 26 rows pass the filter.
    assert "Bitmap Index Scan on clients_client_name_trgm" in plan, plan
