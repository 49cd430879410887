# ruff: noqa: RUF001  (the pages print the multiplication sign and en dash as asserted)
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.test import Client

from tend.audit.models import AuditEvent
from tend.careers.models import JobPosting
from tests.careers.factories import make_posting
from tests.conftest import Cast, signed_in

FORM = {
    "title": "DBT therapist, adolescent program",
    "description": "Join our DBT team: individual therapy and skills groups.",
    "setting": "cmhc",
    "employment_type": "full_time",
    "work_arrangement": "hybrid",
    "city": "Houston",
    "location_state": "TX",
    "licensed_states": ["TX"],
    "license_families": ["counselor", "social_work"],
    "license_titles": "LPC, LCSW",
    "accepts_associates": "on",
    "supervision_provided": "on",
    "supervisor_credential": "LPC-S",
    "supervision_hours_per_week": "1",
    "supervision_cost_per_hour": "0",
    "modalities": ["dbt", "cbt"],
    "populations": ["adolescents"],
    "sessions_per_week": "26",
    "pay_basis": "per_session",
    "pay_min": "55",
    "pay_max": "65",
    "working_weeks_per_year": "48",
    "payer_mix": ["medicaid", "commercial"],
}


def _json_ld(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', html, re.S
    )
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@time_machine.travel("2026-11-27 10:00 -06:00", tick=False)
def test_a_hiring_manager_publishes_a_posting_valid_for_30_days(cast: Cast) -> None:
    response = signed_in(cast.hiring_manager).post("/careers/manage/new/", FORM)

    assert response.status_code == 302
    posting = JobPosting.objects.get()
    assert posting.organization == cast.organization
    assert (posting.posted_on, posting.valid_through) == (date(2026, 11, 27), date(2026, 12, 27))
    assert posting.licensed_states == " TX "
    assert posting.license_families == " counselor social_work "
    assert posting.modalities == " cbt dbt "
    assert (posting.annual_pay_min, posting.annual_pay_max) == (68640, 81120)
    event = AuditEvent.objects.get(action="careers.posting_created")
    assert (event.subject_id, event.actor_label) == (str(posting.public_id), "hiring@harbor.test")


@time_machine.travel("2026-11-27 10:00 -06:00", tick=False)
def test_a_valid_through_beyond_60_days_is_refused_next_to_the_field(cast: Cast) -> None:
    response = signed_in(cast.owner).post(
        "/careers/manage/new/", {**FORM, "valid_through": "2027-01-27"}
    )

    assert response.status_code == 400
    assert "A posting may be valid for at most 60 days (until 2027-01-26)." in (
        response.content.decode()
    )
    assert JobPosting.objects.count() == 0


def test_a_fee_split_without_the_collected_fee_is_refused(cast: Cast) -> None:
    response = signed_in(cast.owner).post(
        "/careers/manage/new/", {**FORM, "pay_basis": "fee_split", "pay_min": "60", "pay_max": "70"}
    )

    assert response.status_code == 400
    assert "This pay basis needs this figure to compare pay." in response.content.decode()
    assert JobPosting.objects.count() == 0


def test_supervision_provided_needs_its_weekly_hours(cast: Cast) -> None:
    response = signed_in(cast.owner).post(
        "/careers/manage/new/", {**FORM, "supervision_hours_per_week": ""}
    )

    assert response.status_code == 400
    assert "Say how many hours of supervision per week." in response.content.decode()


def test_an_expired_posting_leaves_search_and_its_public_page(cast: Cast) -> None:
    with time_machine.travel("2026-11-01 10:00 -06:00", tick=False):
        posting = make_posting(cast.organization, cast.owner, title="Soon stale")
    public = f"/careers/jobs/{posting.public_id}/"

    with time_machine.travel("2026-12-01 10:00 -06:00", tick=False):
        on_last_day = Client().get("/careers/?q=stale")
        page_on_last_day = Client().get(public)
    with time_machine.travel("2026-12-02 10:00 -06:00", tick=False):
        after = Client().get("/careers/?q=stale")
        page_after = Client().get(public)

    assert "Soon stale" in on_last_day.content.decode()
    assert page_on_last_day.status_code == 200
    assert "Soon stale" not in after.content.decode()
    assert page_after.status_code == 404


def test_re_confirming_keeps_a_posting_open_and_says_how_long_ago(cast: Cast) -> None:
    with time_machine.travel("2026-11-01 10:00 -06:00", tick=False):
        posting = make_posting(cast.organization, cast.owner, title="Still hiring")
    with time_machine.travel("2026-11-28 10:00 -06:00", tick=False):
        response = signed_in(cast.hiring_manager).post(
            f"/careers/manage/{posting.public_id}/reconfirm/"
        )
    with time_machine.travel("2026-12-20 10:00 -06:00", tick=False):
        page = Client().get(f"/careers/jobs/{posting.public_id}/").content.decode()

    assert response.status_code == 302
    posting.refresh_from_db()
    assert (posting.reconfirmed_on, posting.valid_through) == (
        date(2026, 11, 28),
        date(2026, 12, 28),
    )
    assert "Re-confirmed 22 days ago" in page
    assert AuditEvent.objects.get(action="careers.posting_reconfirmed").extra == {
        "valid_through": "2026-12-28"
    }


@time_machine.travel("2026-11-27 10:00 -06:00", tick=False)
def test_the_public_page_carries_schema_org_job_posting_json_ld(cast: Cast) -> None:
    posting = make_posting(
        cast.organization,
        cast.owner,
        title="Staff therapist",
        city="Austin",
        education_requirements="Master's degree in counseling",
        experience_requirements="Two years post-graduate",
    )

    response = Client().get(f"/careers/jobs/{posting.public_id}/")

    assert response.status_code == 200
    data = _json_ld(response.content.decode())
    required = {
        "@context",
        "@type",
        "title",
        "description",
        "datePosted",
        "validThrough",
        "employmentType",
        "hiringOrganization",
        "baseSalary",
        "qualifications",
        "educationRequirements",
        "experienceRequirements",
        "occupationalCategory",
    }
    assert required <= set(data)
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Staff therapist"
    assert data["datePosted"] == "2026-11-27"
    assert data["validThrough"] == "2026-12-27T23:59:59-06:00"
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Harbor Counseling"}
    assert data["occupationalCategory"] == "21-1014.00"
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Austin",
        "addressRegion": "TX",
        "addressCountry": "US",
    }
    assert "jobLocationType" not in data
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 60000.0,
        "maxValue": 70000.0,
        "unitText": "YEAR",
    }
    assert data["educationRequirements"] == "Master's degree in counseling"


@time_machine.travel("2026-11-27 10:00 -06:00", tick=False)
def test_a_remote_posting_is_telecommute_with_the_states_applicants_must_be_licensed_in(
    cast: Cast,
) -> None:
    posting = make_posting(
        cast.organization,
        cast.owner,
        work_arrangement="remote",
        licensed_states=["TX", "FL"],
        license_families=["mft"],
        pay_basis="per_session",
        pay_min=Decimal("50"),
        pay_max=Decimal("60"),
        sessions_per_week=20,
        working_weeks_per_year=50,
        description="Telehealth <b>couples</b> work </script>",
    )

    html = Client().get(f"/careers/jobs/{posting.public_id}/").content.decode()
    data = _json_ld(html)

    assert data["jobLocationType"] == "TELECOMMUTE"
    assert "jobLocation" not in data
    assert data["applicantLocationRequirements"] == [
        {"@type": "State", "name": "Florida"},
        {"@type": "State", "name": "Texas"},
    ]
    assert data["occupationalCategory"] == "21-1013.00"
    assert data["baseSalary"]["value"]["minValue"] == 50000
    assert data["description"] == "Telehealth <b>couples</b> work </script>"
    assert "work </script>" not in html.split("</script>")[0]


@time_machine.travel("2026-11-27 10:00 -06:00", tick=False)
def test_the_posting_page_shows_the_normalized_pay_beside_the_bls_median(cast: Cast) -> None:
    posting = make_posting(
        cast.organization,
        cast.owner,
        pay_basis="per_session",
        pay_min=Decimal("55"),
        pay_max=Decimal("65"),
        sessions_per_week=26,
        working_weeks_per_year=48,
    )

    page = Client().get(f"/careers/jobs/{posting.public_id}/").content.decode()

    assert "$68,640–$81,120 a year" in page
    assert "per-session rate × 26 sessions/week × 48 working weeks/year" in page
    assert "May 2025: $59,350; confidence medium" in page


def test_another_organization_cannot_edit_or_close_a_posting(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner, title="Ours")

    edit = signed_in(cast.outsider).post(f"/careers/manage/{posting.public_id}/edit/", FORM)
    close = signed_in(cast.outsider).post(f"/careers/manage/{posting.public_id}/close/")

    assert (edit.status_code, close.status_code) == (404, 404)
    posting.refresh_from_db()
    assert (posting.title, posting.is_closed) == ("Ours", False)


def test_an_employer_edits_a_posting_and_the_search_text_follows(cast: Cast) -> None:
    posting = make_posting(cast.organization, cast.owner, title="Therapist")

    response = signed_in(cast.admin).post(
        f"/careers/manage/{posting.public_id}/edit/", {**FORM, "title": "EMDR therapist"}
    )

    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.title == "EMDR therapist"
    assert "EMDR therapist" in Client().get("/careers/?q=emdr").content.decode()
