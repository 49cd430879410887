"""Explore careers: public pages built from the requirement and occupation data."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tend.careers.pay import wage_fact_for
from tend.licensure import requirements
from tests.careers.factories import make_posting
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
travel = time_machine.travel("2026-11-27 10:00 -06:00", tick=False)


def test_the_index_links_every_row_of_the_data() -> None:
    page = Client().get("/careers/explore/")
    html = page.content.decode()
    assert page.status_code == 200
    rows = requirements.load_requirements().requirements
    assert len(rows) == 60
    for row in rows:
        assert f'href="/careers/explore/{row.license_family}/{row.state}/"' in html
    low = sum(1 for row in rows if row.confidence == "low")
    assert html.count("Low confidence") == low


def test_a_path_page_shows_each_number_with_its_source() -> None:
    row = requirements.requirement_for("TX", "counselor")
    html = Client().get("/careers/explore/counselor/TX/").content.decode()
    assert f"{row.license_title} in Texas" in html
    assert row.provenance in html
    # Every hour and time line carries its own as-of date and confidence.
    assert html.count(f"{row.as_of}, {row.confidence}") == 6
    assert row.degree in html
    for count in (row.total_hours, row.direct_client_hours):
        if count is not None:
            assert f"{count:,} h" in html
    catalogue = requirements.exams_catalogue()
    for choice in row.exams:
        assert " or ".join(catalogue[code].name for code in choice.codes) in html
    wage = wage_fact_for("counselor")
    assert f"${wage.annual_median_usd:,}" in html
    assert wage.reference_period in html


def test_a_low_confidence_row_says_so() -> None:
    row = next(r for r in requirements.load_requirements().requirements if r.confidence == "low")
    html = Client().get(f"/careers/explore/{row.license_family}/{row.state}/").content.decode()
    assert "confidence: low" in html
    assert "verify every value with the board" in html


def test_unverified_fields_are_labelled() -> None:
    row = next(
        r
        for r in requirements.load_requirements().requirements
        if "total_hours" in r.unverified_fields
    )
    html = Client().get(f"/careers/explore/{row.license_family}/{row.state}/").content.decode()
    assert "unverified: total_hours" in html


@pytest.mark.parametrize(
    "url",
    [
        "/careers/explore/counselor/ZZ/",
        "/careers/explore/counselor/tx/",
        "/careers/explore/astrology/TX/",
    ],
)
def test_paths_the_data_does_not_have_are_not_found(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 404


@travel
def test_open_postings_for_the_path_are_counted_and_linked(cast: Cast) -> None:
    make_posting(cast.organization, cast.owner, title="Texas CMHC counselor", setting="cmhc")
    make_posting(cast.organization, cast.owner, title="Texas school counselor", setting="school")
    make_posting(cast.organization, cast.owner, title="Texas MFT", license_families=["mft"])
    closed = make_posting(cast.organization, cast.owner, title="Closed one")
    closed.is_closed = True
    closed.save()

    html = Client().get("/careers/explore/counselor/TX/").content.decode()

    assert "2 open postings accept this licence in Texas" in html
    assert "community mental health center 1" in html
    assert "Texas school counselor" in html
    assert "Texas MFT" not in html
    assert 'href="/careers/?family=counselor&amp;state=TX"' in html


@travel
def test_the_path_page_query_count_does_not_grow_with_postings(cast: Cast) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get("/careers/explore/counselor/TX/").status_code == 200
        return len(queries)

    make_posting(cast.organization, cast.owner)
    few = count()
    for number in range(30):
        make_posting(cast.organization, cast.owner, title=f"Opening {number}")
    assert count() == few
