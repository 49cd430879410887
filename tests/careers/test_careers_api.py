"""The careers API: search with eligibility, applying, saved searches, the employer's pipeline."""

from __future__ import annotations

from decimal import Decimal

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tend.accounts.services import access_token_create
from tend.careers.models import JobApplication, SavedSearch
from tests.careers.factories import make_license, make_posting
from tests.conftest import Cast, signed_in

travel = time_machine.travel("2026-11-27 10:00 -06:00", tick=False)


def _bearer(cast: Cast, *, can_write: bool) -> Client:
    _, raw = access_token_create(
        user=cast.clinician,
        organization=cast.organization,
        name="jobs",
        can_write=can_write,
        days=30,
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


@travel
def test_search_returns_normalized_pay_and_the_callers_eligibility(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", family="counselor", title="LPC")
    texas = make_posting(
        cast.organization,
        cast.owner,
        title="DBT therapist",
        modalities=["dbt"],
        pay_basis="per_session",
        pay_min=Decimal("50"),
        pay_max=Decimal("60"),
        sessions_per_week=25,
        working_weeks_per_year=48,
    )
    make_posting(cast.organization, cast.owner, title="CBT therapist", modalities=["cbt"])

    response = signed_in(cast.clinician).get("/api/v1/careers/postings", {"q": "dbt"})

    assert response.status_code == 200
    body = response.json()
    assert (body["page"], body["has_next"], body["sort"]) == (1, False, "relevance")
    [row] = body["results"]
    assert row["id"] == str(texas.public_id)
    assert (row["pay"]["annual_low"], row["pay"]["annual_high"]) == (50 * 25 * 48, 60 * 25 * 48)
    assert row["pay"]["basis"] == "per_session"
    assert row["eligibility"]["outcome"] == "eligible"
    assert row["eligibility"]["reasons"]
    assert row["url"] == f"http://testserver/careers/jobs/{texas.public_id}/"


@travel
def test_bad_search_criteria_get_the_error_envelope(cast: Cast) -> None:
    response = signed_in(cast.clinician).get("/api/v1/careers/postings", {"state": "ZZ"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["details"]) == ["state"]


@travel
def test_applying_needs_a_read_write_token_and_then_shows_in_my_applications(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner)
    url = f"/api/v1/careers/postings/{posting.public_id}/applications"
    payload = {"share": ["modalities"], "cover_note": "Hello"}

    refused = _bearer(cast, can_write=False).post(url, payload, content_type="application/json")
    assert refused.status_code == 403
    assert not JobApplication.objects.exists()

    writer = _bearer(cast, can_write=True)
    created = writer.post(url, payload, content_type="application/json")
    again = writer.post(url, payload, content_type="application/json")
    mine = writer.get("/api/v1/careers/applications").json()

    assert created.status_code == 201
    assert created.json()["status"] == "applied"
    assert again.status_code == 400
    assert again.json()["error"]["details"] == {
        "__all__": ["You have already applied to this posting."]
    }
    assert [(row["posting"], row["status"]) for row in mine] == [
        (str(posting.public_id), "applied")
    ]


@travel
def test_a_closed_posting_is_not_found(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner)
    posting.is_closed = True
    posting.save()
    response = signed_in(cast.clinician).get(f"/api/v1/careers/postings/{posting.public_id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@travel
def test_the_employer_moves_an_application_and_sees_only_what_was_shared(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner)
    signed_in(cast.clinician).post(
        f"/api/v1/careers/postings/{posting.public_id}/applications",
        {"share": [], "cover_note": "Available Mondays"},
        content_type="application/json",
    )
    application = JobApplication.objects.get()
    manager = signed_in(cast.hiring_manager)

    listing = manager.get("/api/v1/careers/manage/postings").json()
    pipeline = manager.get(f"/api/v1/careers/manage/postings/{posting.public_id}/applications")
    moved = manager.post(
        f"/api/v1/careers/manage/applications/{application.public_id}/stage",
        {"status": "interview", "note": "Call Tuesday"},
        content_type="application/json",
    )
    bad = manager.post(
        f"/api/v1/careers/manage/applications/{application.public_id}/stage",
        {"status": "withdrawn"},
        content_type="application/json",
    )

    assert [(row["id"], row["applications"], row["is_open"]) for row in listing] == [
        (str(posting.public_id), 1, True)
    ]
    [row] = pipeline.json()
    assert (row["applicant_name"], row["cover_note"], row["shared_profile"]) == (
        cast.clinician.display_name,
        "Available Mondays",
        {},
    )
    assert moved.json()["status"] == "interview"
    assert bad.status_code == 400
    assert bad.json()["error"]["details"] == {"status": ["Choose a stage from the list."]}
    application.refresh_from_db()
    assert application.status == "interview"


@travel
def test_saved_searches_through_the_api(cast: Cast) -> None:
    client = signed_in(cast.clinician)
    created = client.post(
        "/api/v1/careers/saved-searches",
        {"name": "Texas DBT", "query": "state=TX&q=dbt"},
        content_type="application/json",
    )
    invalid = client.post(
        "/api/v1/careers/saved-searches",
        {"name": "Nowhere", "query": "state=ZZ"},
        content_type="application/json",
    )
    listed = client.get("/api/v1/careers/saved-searches").json()
    saved_id = created.json()["id"]
    someone_else = signed_in(cast.owner).delete(f"/api/v1/careers/saved-searches/{saved_id}")
    deleted = client.delete(f"/api/v1/careers/saved-searches/{saved_id}")

    assert created.status_code == 201
    assert created.json()["query"] == "q=dbt&state=TX"
    assert invalid.status_code == 400
    assert [row["name"] for row in listed] == ["Texas DBT"]
    assert someone_else.status_code == 404
    assert deleted.status_code == 204
    assert not SavedSearch.objects.exists()


@travel
def test_the_search_route_runs_the_same_queries_for_few_and_many_postings(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", family="counselor", title="LPC")
    client = signed_in(cast.clinician)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/careers/postings").status_code == 200
        return len(queries)

    make_posting(cast.organization, cast.owner)
    few = count()
    for number in range(25):
        make_posting(cast.organization, cast.owner, title=f"Opening {number}")
    assert count() == few
