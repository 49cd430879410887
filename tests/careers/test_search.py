from __future__ import annotations

import copy
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tend.accounts.models import Organization
from tend.careers.eligibility import credentials_for
from tend.careers.models import JobPosting
from tend.careers.selectors import PAGE_SIZE, JobSearch, search_postings
from tend.careers.services import posting_build
from tests.careers.factories import make_license, make_posting, posting_data
from tests.conftest import Cast, signed_in

TODAY = date(2026, 11, 27)
travel = time_machine.travel("2026-11-27 10:00 -06:00", tick=False)


def _titles(search: JobSearch) -> set[str]:
    return {posting.title for posting in search_postings(search, today=TODAY).postings}


@pytest.fixture
def board(cast: Cast) -> dict[str, JobPosting]:
    with travel:
        return {
            "dbt": make_posting(
                cast.organization,
                cast.owner,
                title="DBT therapist",
                description="Adolescent DBT program with skills groups.",
                setting="cmhc",
                work_arrangement="remote",
                licensed_states=["TX"],
                modalities=["dbt"],
                populations=["adolescents"],
                accepts_associates=True,
                supervision_provided=True,
                supervision_hours_per_week=Decimal("1"),
                pay_basis="per_session",
                pay_min=Decimal("50"),
                pay_max=Decimal("60"),
                sessions_per_week=25,
                working_weeks_per_year=48,
            ),
            "couples": make_posting(
                cast.organization,
                cast.owner,
                title="Couples therapist",
                description="Gottman-informed couples work; some DBT-informed clients.",
                setting="private_practice",
                employment_type="part_time",
                work_arrangement="hybrid",
                licensed_states=["CA"],
                license_families=["mft"],
                modalities=["gottman"],
                populations=["couples"],
                pay_min=Decimal("90000"),
                pay_max=Decimal("110000"),
            ),
            "hospital": make_posting(
                cast.organization,
                cast.owner,
                title="Inpatient clinician",
                description="Acute psychiatric unit.",
                setting="hospital",
                licensed_states=["FL", "GA"],
                license_families=["social_work"],
                populations=["serious_mental_illness"],
                pay_min=Decimal("65000"),
                pay_max=Decimal("72000"),
            ),
        }


@travel
def test_each_filter_narrows_the_results(board: dict[str, JobPosting]) -> None:
    everything = {"DBT therapist", "Couples therapist", "Inpatient clinician"}

    assert _titles(JobSearch()) == everything
    assert _titles(JobSearch(state="TX")) == {"DBT therapist"}
    assert _titles(JobSearch(state="GA")) == {"Inpatient clinician"}
    assert _titles(JobSearch(setting="hospital")) == {"Inpatient clinician"}
    assert _titles(JobSearch(family="mft")) == {"Couples therapist"}
    assert _titles(JobSearch(employment_type="part_time")) == {"Couples therapist"}
    assert _titles(JobSearch(modality="dbt")) == {"DBT therapist"}
    assert _titles(JobSearch(population="couples")) == {"Couples therapist"}
    assert _titles(JobSearch(associate_friendly=True)) == {"DBT therapist"}
    assert _titles(JobSearch(supervision_provided=True)) == {"DBT therapist"}
    assert _titles(JobSearch(remote_or_hybrid=True)) == {"DBT therapist", "Couples therapist"}
    # The DBT job pays $50-60 a session x 25 a week x 48 weeks = $60,000-$72,000.
    assert _titles(JobSearch(pay_floor=72000)) == everything
    assert _titles(JobSearch(pay_floor=72001)) == {"Couples therapist"}


@travel
def test_full_text_requires_every_word_and_ranks_the_better_match_first(
    board: dict[str, JobPosting],
) -> None:
    ranked = search_postings(JobSearch(text="DBT"), today=TODAY).postings

    assert [posting.title for posting in ranked] == ["DBT therapist", "Couples therapist"]
    assert _titles(JobSearch(text="DBT telehealth Texas")) == {"DBT therapist"}
    assert _titles(JobSearch(text="dbt couples")) == {"Couples therapist"}
    assert _titles(JobSearch(text="psychiatric Florida")) == {"Inpatient clinician"}
    assert _titles(JobSearch(text="nonexistentword")) == set()


@travel
def test_search_words_cannot_inject_query_syntax(board: dict[str, JobPosting]) -> None:
    assert _titles(JobSearch(text='"couples* gottman^')) == {"Couples therapist"}
    assert _titles(JobSearch(text="dbt) * -- ;")) == {"DBT therapist", "Couples therapist"}
    assert _titles(JobSearch(text='dbt" OR "hospital')) == set()


@travel
def test_sorting_by_pay_uses_the_normalized_annual_figure(board: dict[str, JobPosting]) -> None:
    by_pay = search_postings(JobSearch(sort="pay"), today=TODAY).postings

    assert [posting.title for posting in by_pay] == [
        "Couples therapist",
        "Inpatient clinician",
        "DBT therapist",
    ]


@travel
def test_the_results_partial_answers_htmx_requests(board: dict[str, JobPosting]) -> None:
    response = Client().get("/careers/?q=dbt&state=TX", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.count('class="card careers-result"') == 1
    assert "DBT therapist" in body


@travel
def test_a_bad_filter_value_is_a_400_with_the_message_next_to_the_field(
    board: dict[str, JobPosting],
) -> None:
    response = Client().get("/careers/?pay_floor=lots&state=XX")

    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a whole number." in body
    assert "Select a valid choice. XX is not one of the available choices." in body


@travel
def test_signed_in_clinicians_see_their_eligibility_on_each_result(
    cast: Cast, board: dict[str, JobPosting]
) -> None:
    make_license(cast.clinician, state="TX", title="LPC")

    body = signed_in(cast.clinician).get("/careers/?only_qualifying=on").content.decode()

    assert body.count('class="card careers-result"') == 1
    assert "Your active LPC licence in TX" in body


def _seed(organization: Organization, count: int) -> None:
    template = posting_build(
        organization=organization,
        data=posting_data(
            title="Seeded therapist",
            description="Outpatient DBT and CBT therapy for adults.",
            modalities=["dbt", "cbt"],
            licensed_states=["TX", "FL"],
            work_arrangement="remote",
        ),
        today=TODAY,
    )
    rows = []
    for index in range(count):
        row = copy.copy(template)
        row.public_id = uuid.uuid4()
        row.annual_pay_max = 60000 + index
        rows.append(row)
    JobPosting.objects.bulk_create(rows, batch_size=1000)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


SEARCHES = (
    "/careers/",
    "/careers/?q=dbt+telehealth+texas&sort=relevance",
    "/careers/?state=TX&modality=dbt&remote_or_hybrid=on&pay_floor=50000&sort=pay&page=3",
    "/careers/?only_qualifying=on&q=therapy",
)


@travel
def test_search_runs_the_same_queries_for_100_and_5000_postings(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", title="LPC")
    client = signed_in(cast.clinician)
    client.get("/careers/")  # warm the session and tenancy

    _seed(cast.organization, 100)
    small = [_queries(client, url) for url in SEARCHES]
    _seed(cast.organization, 4900)
    large = [_queries(client, url) for url in SEARCHES]

    assert JobPosting.objects.count() == 5000
    assert large == small
    assert small == [7, 7, 7, 7]
    page = search_postings(
        JobSearch(text="dbt"), today=TODAY, credentials=credentials_for(cast.clinician, today=TODAY)
    )
    assert len(page.postings) == PAGE_SIZE
    assert page.has_next is True


def _first(**kwargs: Any) -> JobSearch:
    return JobSearch(**kwargs)


@travel
def test_pages_are_bounded_and_do_not_overlap(cast: Cast) -> None:
    _seed(cast.organization, 45)

    first = search_postings(_first(sort="pay", page=1), today=TODAY)
    third = search_postings(_first(sort="pay", page=3), today=TODAY)
    beyond = search_postings(_first(sort="pay", page=999), today=TODAY)

    assert [p.annual_pay_max for p in first.postings][:2] == [60044, 60043]
    assert [p.annual_pay_max for p in third.postings] == [60004, 60003, 60002, 60001, 60000]
    assert (first.has_next, third.has_next) == (True, False)
    assert (beyond.page, beyond.postings) == (50, [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_postgresql_ranks_from_a_stored_vector_and_indexes_the_filters(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns "
            "WHERE table_name = 'careers_jobposting' AND column_name = 'search_vector'"
        )
        (generated,) = cursor.fetchone()
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'careers_jobposting' "
            "AND indexdef LIKE '%USING gin%' ORDER BY indexname"
        )
        gin_indexes = [name for (name,) in cursor.fetchall()]
    assert "to_tsvector('english'::regconfig, COALESCE(search_document, ''::text))" in generated
    assert gin_indexes == [
        "careers_posting_license_families_trgm",
        "careers_posting_modalities_trgm",
        "careers_posting_populations_trgm",
        "careers_posting_search_state_gin",
    ]
    # Words and a state are matched in one scan of the two-column index.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM careers_jobposting "
            "WHERE search_vector @@ plainto_tsquery('english', 'trauma') "
            "AND licensed_states LIKE '% TX %'"
        )
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "careers_posting_search_state_gin" in plan
    index_condition = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "@@" in index_condition and "~~" in index_condition
