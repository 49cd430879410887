"""The assessment pages: autosave, the Save button, signing, reading, addenda, the PDF,
and who may open them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tend.assessments.documents import assessment_pdf_html
from tend.assessments.models import Assessment, AssessmentAddendum
from tend.assessments.services import assessment_addendum_add, assessment_start
from tend.audit.models import AuditEvent
from tend.core.permissions import Role
from tests.assessments.factories import ANSWERS, make_assessment
from tests.clients.factories import make_shared_client
from tests.conftest import Cast, make_member, second_load, signed_in

NOW = datetime(2026, 11, 20, 21, 4, tzinfo=UTC)  # 15:04 in Harbor's America/Chicago


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def edit_url(assessment: Assessment) -> str:
    return reverse("assessments:edit", args=[assessment.public_id])


def form_data(**fields: str | list[str]) -> dict[str, str | list[str]]:
    return {"action": "save", **fields}


def test_starting_from_the_chart_opens_the_draft(cast: Cast) -> None:
    client = make_shared_client(cast)

    response = signed_in(cast.clinician).post(reverse("assessments:start", args=[client.public_id]))

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(assessment)


def test_the_edit_page_shows_every_section_and_records_the_view(cast: Cast) -> None:
    assessment = make_assessment(cast)

    response = signed_in(cast.clinician).get(edit_url(assessment))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card assessment-section"') == 14
    assert (
        'hx-post="{}"'.format(reverse("assessments:autosave", args=[assessment.public_id])) in html
    )
    assert "Low mood and trouble sleeping since moving for work." in html
    assert "Saved at 15:04" in html
    [event] = AuditEvent.objects.filter(action="assessments.viewed")
    assert (event.actor_id, event.subject_id, event.client_id) == (
        cast.clinician.public_id,
        str(assessment.public_id),
        assessment.client.public_id,
    )


def test_autosave_answers_with_the_time_and_the_answers_survive_leaving_the_page(
    cast: Cast,
) -> None:
    assessment = assessment_start(client=make_shared_client(cast), actor=cast.clinician)
    browser = signed_in(cast.clinician)

    saved = browser.post(
        reverse("assessments:autosave", args=[assessment.public_id]),
        {
            "presenting_problem__presenting_problem": "Worry about money keeps her up at night.",
            "mental_status_exam__affect": ["constricted", "tearful"],
            "risk_screening__suicidal_ideation": "no",
        },
        HTTP_HX_REQUEST="true",
    )
    browser.get(reverse("clients:chart", args=[assessment.client.public_id]))
    back = browser.get(edit_url(assessment))

    assert saved.status_code == 200
    assert saved.content.decode().split() == [
        "<div",
        'id="save-status"',
        'class="save-status"',
        'role="status">',
        "Saved",
        "at",
        "15:04",
        "</div>",
    ]
    assessment.refresh_from_db()
    assert assessment.answers == {
        "presenting_problem": {"presenting_problem": "Worry about money keeps her up at night."},
        "mental_status_exam": {"affect": ["constricted", "tearful"]},
        "risk_screening": {"suicidal_ideation": "no"},
    }
    html = back.content.decode()
    assert "Worry about money keeps her up at night.</textarea>" in html
    assert 'value="tearful" id="id_mental_status_exam__affect_7" checked' in html


def test_autosave_reports_a_field_it_could_not_save_and_keeps_the_rest(cast: Cast) -> None:
    assessment = make_assessment(cast)

    response = signed_in(cast.clinician).post(
        reverse("assessments:autosave", args=[assessment.public_id]),
        {
            "presenting_problem__presenting_problem": "z" * 4001,
            "presenting_problem__onset_date": "2026-02-30",
            "trauma_history__trauma_reported": "no",
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Not saved — Presenting problem in the client&#x27;s words: Ensure this value has at "
        "most 4000 characters (it has 4001).</li>"
    ) in html
    assert "Not saved — Approximate onset: Enter a valid date.</li>" in html
    assessment.refresh_from_db()
    assert assessment.answers == {
        "presenting_problem": ANSWERS["presenting_problem"],
        "trauma_history": {"trauma_reported": "no"},
    }


def test_the_save_button_works_without_javascript(cast: Cast) -> None:
    assessment = assessment_start(client=make_shared_client(cast), actor=cast.clinician)

    response = signed_in(cast.clinician).post(
        edit_url(assessment), form_data(medical_history__primary_care_provider="Dr. Lane")
    )

    assert (response.status_code, response["Location"]) == (302, edit_url(assessment))
    assessment.refresh_from_db()
    assert assessment.answers == {"medical_history": {"primary_care_provider": "Dr. Lane"}}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "identifying_information__referral_source",
            "r" * 201,
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        ("psychiatric_history__last_hospitalization_date", "2025-02-30", "Enter a valid date."),
        ("mental_status_exam__insight", "excellent", "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_saves_nothing(
    cast: Cast, field: str, value: str, message: str
) -> None:
    assessment = make_assessment(cast)

    response = signed_in(cast.clinician).post(
        edit_url(assessment),
        form_data(**{field: value, "trauma_history__trauma_reported": "yes"}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="field-error" id="id_{field}_error">{message}' in html
    assert "Nothing was saved: correct the fields marked below." in html
    assessment.refresh_from_db()
    assert assessment.answers == ANSWERS


def test_save_and_sign_signs_with_the_latest_answers_and_then_the_page_is_read_only(
    cast: Cast,
) -> None:
    assessment = make_assessment(cast)
    browser = signed_in(cast.clinician)

    response = browser.post(
        edit_url(assessment),
        {"action": "sign", "formulation__recommendations": "Weekly CBT for insomnia."},
    )

    detail = reverse("assessments:detail", args=[assessment.public_id])
    assert (response.status_code, response["Location"]) == (302, detail)
    assessment.refresh_from_db()
    assert assessment.status == "signed"
    assert assessment.answers == {"formulation": {"recommendations": "Weekly CBT for insomnia."}}
    assert browser.get(edit_url(assessment))["Location"] == detail
    late = browser.post(
        reverse("assessments:autosave", args=[assessment.public_id]),
        {"trauma_history__trauma_reported": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert "Not saved</span> This assessment is signed" in late.content.decode()
    assessment.refresh_from_db()
    assert assessment.answers == {"formulation": {"recommendations": "Weekly CBT for insomnia."}}


def test_the_detail_page_shows_answers_with_option_labels_and_the_hash(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)

    response = signed_in(cast.supervisor).get(
        reverse("assessments:detail", args=[assessment.public_id])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "<dt>Mood (as the client describes it)</dt>\n            <dd>Low or depressed</dd>" in html
    )
    assert "<dd>Mar 1, 2026</dd>" in html
    assert assessment.content_hash in html
    assert AuditEvent.objects.filter(action="assessments.viewed").count() == 1


def test_an_addendum_from_the_page_is_added_and_a_blank_one_is_refused(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)
    browser = signed_in(cast.clinician)
    url = reverse("assessments:addendum_add", args=[assessment.public_id])

    refused = browser.post(url, {"reason": "", "text": "Something"})
    added = browser.post(url, {"reason": "Late information", "text": "Sister confirmed dates."})

    assert refused.status_code == 400
    assert '<p class="field-error" id="id_reason_error">This field is required.' in (
        refused.content.decode()
    )
    assert added.status_code == 302
    assert list(AssessmentAddendum.objects.values_list("reason", flat=True)) == ["Late information"]


def test_the_pdf_is_a_pdf_of_the_whole_assessment(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)

    response = signed_in(cast.clinician).get(
        reverse("assessments:pdf", args=[assessment.public_id])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        f'inline; filename="assessment-{assessment.public_id}.pdf"'
    )
    html = assessment_pdf_html(assessment)
    assert "Client: Morgan Ashdown · born Sep 30, 1985" in html
    assert "Low mood and trouble sleeping since moving for work." in html
    assert assessment.content_hash in html
    assert AuditEvent.objects.filter(action="assessments.printed").count() == 1


@pytest.mark.parametrize("role", ["front_desk", "biller", "owner", "admin"])
def test_roles_without_clinical_access_never_see_an_assessment(cast: Cast, role: str) -> None:
    assessment = make_assessment(cast, signed=True)
    browser = signed_in(getattr(cast, role))
    before = AuditEvent.objects.count()

    for url in (
        reverse("assessments:detail", args=[assessment.public_id]),
        reverse("assessments:edit", args=[assessment.public_id]),
        reverse("assessments:pdf", args=[assessment.public_id]),
    ):
        assert browser.get(url).status_code == 403, url

    assert AuditEvent.objects.count() == before


def test_a_clinician_off_the_case_gets_403_and_an_outsider_404(cast: Cast) -> None:
    assessment = make_assessment(cast)
    url = reverse("assessments:detail", args=[assessment.public_id])
    stranger = make_member(
        cast.organization, cast.owner, "other@harbor.test", "Otto Other", Role.CLINICIAN
    )

    assert signed_in(stranger).get(url).status_code == 403
    assert signed_in(cast.outsider).get(url).status_code == 404


def _detail_queries(cast: Cast, assessment: Assessment) -> int:
    url = reverse("assessments:detail", args=[assessment.public_id])
    return second_load(cast.clinician, url)[0]


def test_the_detail_page_runs_the_same_queries_for_1_or_25_addenda(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)
    assessment_addendum_add(assessment=assessment, actor=cast.clinician, reason="r", text="t")
    few = _detail_queries(cast, assessment)
    for number in range(24):
        assessment_addendum_add(
            assessment=assessment, actor=cast.clinician, reason=f"r{number}", text="t"
        )

    many = _detail_queries(cast, assessment)

    assert few == many
