"""An organization adds a section to its template without code: a new version, while
assessments already written keep the version they used."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tend.assessments.models import AssessmentTemplate
from tend.assessments.services import assessment_start
from tend.audit.models import AuditEvent
from tests.assessments.factories import make_assessment
from tests.clients.factories import make_client
from tests.conftest import Cast, signed_in

NOW = datetime(2026, 11, 20, 21, 4, tzinfo=UTC)
SLEEP_SECTION = {
    "title": "Sleep and routines",
    "description": "Ask about the last two weeks.",
    "fields_text": "Sleep quality | choice | Good, Fair, Poor\n"
    "\n"
    "Naps during the day | yes/no\n"
    "Bedtime routine | long text",
}


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_adding_a_section_makes_a_new_version_and_old_assessments_keep_theirs(
    cast: Cast,
) -> None:
    old = make_assessment(cast)

    response = signed_in(cast.admin).post(reverse("assessments:template"), SLEEP_SECTION)

    assert (response.status_code, response["Location"]) == (302, reverse("assessments:template"))
    new_version = AssessmentTemplate.objects.get(organization=cast.organization)
    assert (new_version.key, new_version.version, new_version.created_by) == (
        "biopsychosocial",
        2,
        cast.admin,
    )
    assert new_version.definition["sections"][-1] == {
        "key": "sleep_and_routines",
        "title": "Sleep and routines",
        "description": "Ask about the last two weeks.",
        "fields": [
            {
                "key": "sleep_quality",
                "label": "Sleep quality",
                "type": "choice",
                "options": [
                    {"value": "good", "label": "Good"},
                    {"value": "fair", "label": "Fair"},
                    {"value": "poor", "label": "Poor"},
                ],
            },
            {"key": "naps_during_the_day", "label": "Naps during the day", "type": "yes_no"},
            {
                "key": "bedtime_routine",
                "label": "Bedtime routine",
                "type": "long_text",
                "max_length": 4000,
            },
        ],
    }
    assert len(new_version.definition["sections"]) == 15
    old.refresh_from_db()
    assert old.template.version == 1
    newer = assessment_start(client=make_client(cast, first="Avery"), actor=cast.clinician)
    assert newer.template == new_version
    [event] = AuditEvent.objects.filter(action="assessments.template_version_created")
    assert event.extra == {
        "key": "biopsychosocial",
        "version": 2,
        "based_on_version": 1,
        "section": "sleep_and_routines",
    }


def test_the_old_assessment_still_renders_with_its_own_sections(cast: Cast) -> None:
    old = make_assessment(cast)
    signed_in(cast.admin).post(reverse("assessments:template"), SLEEP_SECTION)

    old_page = signed_in(cast.clinician).get(reverse("assessments:edit", args=[old.public_id]))
    newer = assessment_start(client=make_client(cast, first="Avery"), actor=cast.clinician)
    new_page = signed_in(cast.clinician).get(reverse("assessments:edit", args=[newer.public_id]))

    assert "Sleep and routines" not in old_page.content.decode()
    assert old_page.content.decode().count('class="card assessment-section"') == 14
    assert new_page.content.decode().count('class="card assessment-section"') == 15
    assert 'name="sleep_and_routines__sleep_quality"' in new_page.content.decode()


def test_a_second_section_builds_on_the_organizations_latest_version(cast: Cast) -> None:
    browser = signed_in(cast.owner)
    browser.post(reverse("assessments:template"), SLEEP_SECTION)

    browser.post(
        reverse("assessments:template"),
        {"title": "Sleep and routines", "fields_text": "Screen time at night | text"},
    )

    latest = AssessmentTemplate.objects.filter(organization=cast.organization).first()
    assert latest is not None
    assert latest.version == 3
    assert [section["key"] for section in latest.definition["sections"][-2:]] == [
        "sleep_and_routines",
        "sleep_and_routines_2",
    ]
    page = browser.get(reverse("assessments:template"))
    assert "New assessments in Harbor Counseling use version 3" in page.content.decode()


@pytest.mark.parametrize(
    ("fields_text", "message"),
    [
        (
            "Sleep | slider",
            "Line 1: write “Label | type”, type one of text, long text, choice, "
            "multi-choice, yes/no, date.",
        ),
        ("Mood\nSleep quality | choice | Good", "Line 1: write"),
        ("Sleep quality | choice | Good", "Line 1: a choice needs at least two options."),
        ("Naps | yes/no | Often, Never", "Line 1: only choices take options."),
        ("Naps | yes/no\nnaps | text", "Line 2: two fields have the label “naps”."),
    ],
)
def test_a_badly_written_field_line_is_explained_and_nothing_is_stored(
    cast: Cast, fields_text: str, message: str
) -> None:
    response = signed_in(cast.admin).post(
        reverse("assessments:template"), {"title": "Sleep", "fields_text": fields_text}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert AssessmentTemplate.objects.filter(organization=cast.organization).count() == 0


@pytest.mark.parametrize("role", ["clinician", "associate", "supervisor", "front_desk", "biller"])
def test_only_people_who_manage_the_organization_change_the_template(cast: Cast, role: str) -> None:
    response = signed_in(getattr(cast, role)).post(reverse("assessments:template"), SLEEP_SECTION)

    assert response.status_code == 403
    assert AssessmentTemplate.objects.count() == 0


def test_each_organization_numbers_its_own_versions(cast: Cast) -> None:
    signed_in(cast.admin).post(reverse("assessments:template"), SLEEP_SECTION)

    signed_in(cast.outsider).post(reverse("assessments:template"), SLEEP_SECTION)

    assert sorted(
        AssessmentTemplate.objects.filter(organization__isnull=False).values_list(
            "organization__name", "version"
        )
    ) == [("Elsewhere Therapy", 2), ("Harbor Counseling", 2)]
