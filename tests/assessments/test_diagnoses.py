"""Diagnoses: ICD-10-CM search, adding, changing with full history, and where they show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tend.assessments.models import Diagnosis
from tend.assessments.services import diagnosis_add, diagnosis_change
from tend.audit.models import AuditEvent
from tests.assessments.factories import make_diagnosis
from tests.clients.factories import make_shared_client
from tests.conftest import Cast, search_by_post_only, second_load, signed_in

NOW = datetime(2026, 11, 20, 21, 4, tzinfo=UTC)
CODE_SET = "ICD-10-CM April 1, 2026 update"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def radio_codes(html: str) -> list[str]:
    return re.findall(r'name="code"\s+value="([^"]+)"', html)


def test_the_typeahead_lists_f32_1_first_for_its_name(cast: Cast) -> None:
    response = signed_in(cast.associate).post(
        reverse("assessments:diagnosis_search"),
        {"query": "major depressive disorder, single episode, moderate"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert radio_codes(html)[0] == "F32.1"
    assert "<strong>F32.1</strong> Major depressive disorder, single episode, moderate" in html
    assert "<html" not in html


def test_the_typeahead_puts_social_needs_codes_before_other_chapters(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("assessments:diagnosis_search"), {"query": "housing"}
    )

    assert radio_codes(response.content.decode())[:3] == ["Z59.819", "Z59.811", "Z59.812"]


def test_the_typeahead_says_when_nothing_matches(cast: Cast) -> None:
    response = signed_in(cast.clinician).post(
        reverse("assessments:diagnosis_search"), {"query": "xyzzy"}
    )

    assert "No ICD-10-CM code matches “xyzzy”." in response.content.decode()


def test_the_typeahead_takes_the_words_only_by_post_with_the_pages_csrf_token(
    cast: Cast,
) -> None:
    client = make_shared_client(cast)

    found = search_by_post_only(
        cast.clinician,
        page_url=reverse("assessments:diagnosis_add", args=[client.public_id]),
        search_url=reverse("assessments:diagnosis_search"),
        data={"query": "panic disorder"},
    )

    assert found.status_code == 200
    assert radio_codes(found.content.decode())[0] == "F41.0"


def test_adding_a_diagnosis_copies_the_description_and_release_from_the_code_set(
    cast: Cast,
) -> None:
    client = make_shared_client(cast)

    response = signed_in(cast.clinician).post(
        reverse("assessments:diagnosis_add", args=[client.public_id]),
        {"code": "f410", "rank": "principal", "status": "provisional", "onset_date": "2026-06-01"},
    )

    assert response.status_code == 302
    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.code, diagnosis.description, diagnosis.code_set_version) == (
        "F41.0",
        "Panic disorder [episodic paroxysmal anxiety]",
        CODE_SET,
    )
    assert (diagnosis.rank, diagnosis.status, diagnosis.onset_date) == (
        "principal",
        "provisional",
        date(2026, 6, 1),
    )
    assert diagnosis.diagnosed_by == cast.clinician
    [event] = AuditEvent.objects.filter(action="assessments.diagnosis_added")
    assert (event.subject_id, event.client_id, event.extra) == (
        str(diagnosis.public_id),
        client.public_id,
        {},
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"code": "F32.7"},
            "code",
            "“F32.7” is not an ICD-10-CM code in the ICD-10-CM April 1, 2026 update. "
            "Search by code or words and pick one from the list.",
        ),
        ({"code": ""}, "code", "Choose an ICD-10-CM code."),
        ({"onset_date": "2026-02-30"}, "onset_date", "Enter a valid date."),
        ({"onset_date": "2027-01-01"}, "onset_date", "The onset date is in the future."),
        (
            {"status": "resolved", "onset_date": "2026-05-01", "resolution_date": "2026-04-01"},
            "resolution_date",
            "The resolution date is before the onset date.",
        ),
        ({"status": "resolved"}, "resolution_date", "Enter the date the diagnosis resolved."),
        (
            {"resolution_date": "2026-04-01"},
            "resolution_date",
            "Only a resolved diagnosis has a resolution date.",
        ),
    ],
)
def test_bad_diagnosis_input_gets_a_message_next_to_the_field(
    cast: Cast, fields: dict[str, str], field: str, message: str
) -> None:
    client = make_shared_client(cast)
    data = {"code": "F32.1", "rank": "secondary", "status": "provisional", **fields}

    response = signed_in(cast.clinician).post(
        reverse("assessments:diagnosis_add", args=[client.public_id]), data
    )

    assert response.status_code == 400
    assert f'<p class="field-error" id="id_{field}_error">{message}</p>' in (
        response.content.decode()
    )
    assert Diagnosis.objects.count() == 0


def test_the_service_rejects_an_unknown_code(cast: Cast) -> None:
    with pytest.raises(ValidationError) as caught:
        diagnosis_add(
            client=make_shared_client(cast),
            actor=cast.clinician,
            code="F30-F39",
            rank="secondary",
            status="confirmed",
        )

    assert list(caught.value.message_dict) == ["code"]
    assert Diagnosis.objects.count() == 0


def test_a_second_active_principal_diagnosis_is_refused(cast: Cast) -> None:
    client = make_shared_client(cast)
    make_diagnosis(cast, client=client, code="F32.1", rank="principal")

    with pytest.raises(ValidationError) as caught:
        make_diagnosis(cast, client=client, code="F41.1", rank="principal")

    assert caught.value.message_dict == {
        "rank": ["F32.1 is already the principal diagnosis; make it secondary first."]
    }


def test_a_change_is_a_new_row_and_the_previous_row_stays_as_it_was(cast: Cast) -> None:
    first = make_diagnosis(cast, code="F43.10", status="provisional")
    before = Diagnosis.objects.values().get(pk=first.pk)

    with time_machine.travel(datetime(2026, 11, 21, 15, 0, tzinfo=UTC), tick=False):
        response = signed_in(cast.supervisor).post(
            reverse("assessments:diagnosis_change", args=[first.public_id]),
            {"code": "F43.12", "rank": "principal", "status": "confirmed"},
        )

    assert response.status_code == 302
    assert Diagnosis.objects.values().get(pk=first.pk) == before
    second = Diagnosis.objects.get(supersedes=first)
    assert (second.code, second.status, second.diagnosed_by) == (
        "F43.12",
        "confirmed",
        cast.supervisor,
    )
    assert second.description == "Post-traumatic stress disorder, chronic"
    [event] = AuditEvent.objects.filter(action="assessments.diagnosis_changed")
    assert event.extra == {"supersedes": str(first.public_id), "fields": ["code", "status"]}


def test_the_diagnoses_page_shows_the_latest_entry_with_its_history(cast: Cast) -> None:
    first = make_diagnosis(cast, code="F41.1", status="provisional")
    second = diagnosis_change(
        diagnosis=first, actor=cast.clinician, code="F41.1", rank="principal", status="confirmed"
    )
    diagnosis_change(
        diagnosis=second,
        actor=cast.clinician,
        code="F41.1",
        rank="principal",
        status="in_remission",
    )
    make_diagnosis(cast, code="Z59.02", rank="secondary", status="confirmed")

    response = signed_in(cast.clinician).get(
        reverse("assessments:diagnoses", args=[first.client.public_id])
    )

    html = response.content.decode()
    rows = re.findall(r"<tr>\s*<td>\s*<code>([^<]+)</code>", html)
    assert rows == ["F41.1", "Z59.02"]
    assert "History (2 earlier entries)" in html
    assert html.count('<span class="badge">In remission</span>') == 1
    assert AuditEvent.objects.filter(action="assessments.viewed").count() == 1


def test_changing_an_entry_that_was_already_changed_is_refused(cast: Cast) -> None:
    first = make_diagnosis(cast)
    diagnosis_change(
        diagnosis=first, actor=cast.clinician, code="F32.1", rank="principal", status="confirmed"
    )

    response = signed_in(cast.clinician).post(
        reverse("assessments:diagnosis_change", args=[first.public_id]),
        {"code": "F32.2", "rank": "principal", "status": "confirmed"},
    )

    assert response.status_code == 400
    assert "This diagnosis was changed by someone else" in response.content.decode()
    assert Diagnosis.objects.count() == 2


def test_a_change_that_changes_nothing_is_refused(cast: Cast) -> None:
    first = make_diagnosis(cast)

    with pytest.raises(ValidationError, match=r"^\['Nothing was changed\.'\]$"):
        diagnosis_change(
            diagnosis=first,
            actor=cast.clinician,
            code="f321",
            rank="principal",
            status="provisional",
        )


def test_active_diagnoses_appear_on_the_chart_header_and_resolved_ones_do_not(
    cast: Cast,
) -> None:
    client = make_shared_client(cast)
    make_diagnosis(cast, client=client, code="F33.1", rank="principal", status="confirmed")
    resolved = make_diagnosis(cast, client=client, code="F43.23", rank="secondary")
    diagnosis_change(
        diagnosis=resolved,
        actor=cast.clinician,
        code="F43.23",
        rank="secondary",
        status="resolved",
        resolution_date=date(2026, 10, 1),
    )

    response = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))

    html = response.content.decode()
    start = html.index('<div class="diagnoses-fact">')
    header = html[start : html.index("</dd>", start)]
    assert re.findall(r"<code>([^<]+)</code>", header) == ["F33.1"]
    assert "Major depressive disorder, recurrent, moderate" in header


@pytest.mark.parametrize("role", ["front_desk", "biller", "owner", "admin"])
def test_roles_without_clinical_access_never_see_diagnoses(cast: Cast, role: str) -> None:
    diagnosis = make_diagnosis(cast)
    browser = signed_in(getattr(cast, role))

    for url in (
        reverse("assessments:diagnoses", args=[diagnosis.client.public_id]),
        reverse("assessments:diagnosis_add", args=[diagnosis.client.public_id]),
        reverse("assessments:diagnosis_change", args=[diagnosis.public_id]),
    ):
        assert browser.get(url).status_code == 403, url
    search = browser.post(reverse("assessments:diagnosis_search"), {"query": diagnosis.code})
    assert search.status_code == 403
    chart = browser.get(reverse("clients:chart", args=[diagnosis.client.public_id]))
    assert diagnosis.code not in chart.content.decode()


def _diagnoses_page_queries(cast: Cast, client_id: object) -> int:
    return second_load(cast.clinician, reverse("assessments:diagnoses", args=[client_id]))[0]


def test_the_diagnoses_page_runs_the_same_queries_for_2_or_30_diagnoses(cast: Cast) -> None:
    client = make_shared_client(cast)
    codes = ["F32.1", "F41.1", "F43.10", "F43.23", "F33.1", "F40.10", "F90.0", "F10.20"]
    first = make_diagnosis(cast, client=client, code=codes[0], rank="secondary")
    make_diagnosis(cast, client=client, code=codes[1], rank="secondary")
    few = _diagnoses_page_queries(cast, client.public_id)
    previous = first
    for status in ["confirmed", "in_remission"] * 7:
        previous = diagnosis_change(
            diagnosis=previous, actor=cast.clinician, code="F32.1", rank="secondary", status=status
        )
    for code in codes[2:] * 2:
        if not Diagnosis.objects.filter(client=client, code=code).exists():
            make_diagnosis(cast, client=client, code=code, rank="secondary")
    for code in ["Z59.02", "Z56.0", "Z63.0", "Z60.2", "Z65.8", "F51.01", "F50.2", "F42.2"]:
        make_diagnosis(cast, client=client, code=code, rank="secondary")
    assert Diagnosis.objects.filter(client=client).count() == 30

    many = _diagnoses_page_queries(cast, client.public_id)

    assert few == many
