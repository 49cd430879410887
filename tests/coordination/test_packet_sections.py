"""Packet sections for assessments, measures and progress notes: what goes into the PDF
and the FHIR Bundle, what consent refuses, and what stays behind for 42 CFR Part 2."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.accounts.models import User
from tend.assessments.models import Assessment
from tend.assessments.services import (
    assessment_addendum_add,
    assessment_draft_save,
    assessment_start,
    diagnosis_add,
)
from tend.audit.models import AuditEvent
from tend.care.models import Appointment, ProgressNote
from tend.care.notes import (
    MemberEntry,
    note_addendum_add,
    note_save_draft,
    note_sign,
    note_start,
    psychotherapy_note_save,
)
from tend.care.services import appointment_book, appointment_status_set, therapy_group_create
from tend.clients.models import Client
from tend.coordination.models import Disclosure
from tend.coordination.packets import packet_assemble, part2_notice
from tend.coordination.sections import substance_use_records
from tend.measures.models import MeasureResponse
from tend.measures.services import response_record, response_void
from tend.supervision.models import SupervisionRelationship
from tests.conftest import Cast, signed_in
from tests.coordination.helpers import (
    make_client,
    make_consent,
    make_provider,
    release,
    stored_bundle,
)

NOV_27 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
LOINC = "http://loinc.org"
SUBSTANCE_USE_NOTE = (
    "The assessment's substance-use part is released only under the category for "
    "substance-use-disorder records."
)


def _html(disclosure: Disclosure) -> str:
    with disclosure.packet_html.open("rb") as handle:
        return str(handle.read().decode())


def _resources(bundle: Any, kind: str) -> list[Any]:
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == kind]


def _text(document: Any) -> str:
    # fhir.resources decodes base64Binary on parsing: `data` holds the attachment's bytes.
    return str(document.content[0].attachment.data.decode())


def _labels(resource: Any) -> list[str]:
    return [label.code for label in resource.meta.security] if resource.meta else []


def _signed_assessment(
    cast: Cast, client: Client, when: datetime, answers: dict[str, Any]
) -> Assessment:
    with time_machine.travel(when, tick=False):
        started = assessment_start(client=client, actor=cast.clinician)
        return assessment_draft_save(
            assessment=started, actor=cast.clinician, answers=answers, sign=True
        )


INTAKE_ANSWERS = {
    "presenting_problem": {"presenting_problem": "Panic attacks on the bus."},
    "substance_use": {
        "substances_used": ["alcohol"],
        "substance_use_pattern": "Four drinks most evenings.",
    },
    "formulation": {"recommendations": "Weekly CBT for panic."},
}


@time_machine.travel(NOV_27, tick=False)
def test_the_assessments_section_carries_signed_assessments_without_the_substance_use_part(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    _signed_assessment(
        cast, client, datetime(2025, 12, 15, 16, tzinfo=UTC),
        {"presenting_problem": {"presenting_problem": "Before the range"}},
    )  # fmt: skip
    intake = _signed_assessment(cast, client, datetime(2026, 11, 5, 16, tzinfo=UTC), INTAKE_ANSWERS)
    assessment_addendum_add(
        assessment=intake, actor=cast.clinician, reason="Late information",
        text="Client also reports panic at work.",
    )  # fmt: skip
    draft = assessment_start(client=client, actor=cast.clinician)
    assessment_draft_save(
        assessment=draft, actor=cast.clinician,
        answers={"presenting_problem": {"presenting_problem": "Unsigned draft words"}},
    )  # fmt: skip
    make_consent(client, cast.clinician, provider, ["assessments"])

    disclosure = release(client, cast, provider, ["assessments"])

    heading = "Biopsychosocial assessment, signed 2026-11-05 by Cleo Clinician"
    expected = [
        "Presenting problem and history of present concern. Presenting problem in the "
        "client's words: Panic attacks on the bus.",
        "Clinical formulation and recommendations. Recommendations: Weekly CBT for panic.",
        "Addendum of 2026-11-27 by Cleo Clinician (Late information): "
        "Client also reports panic at work.",
        SUBSTANCE_USE_NOTE,
    ]
    bundle = stored_bundle(disclosure)
    assert [e.resource.get_resource_type() for e in bundle.entry] == [
        "Patient",
        "DocumentReference",
    ]
    document = _resources(bundle, "DocumentReference")[0]
    assert (document.id, document.description, document.docStatus) == (
        str(intake.public_id),
        heading,
        "final",
    )
    assert [author.display for author in document.author] == ["Cleo Clinician"]
    assert document.subject.reference == f"urn:uuid:{client.public_id}"
    assert _text(document).split("\n") == expected
    assert _labels(document) == []
    html = _html(disclosure)
    assert heading in html
    for hidden in ("Four drinks", "Alcohol", "Before the range", "Unsigned draft words"):
        assert hidden not in html
        assert hidden not in _text(document)
    assert disclosure.includes_part2 is False
    accounting = signed_in(cast.clinician).get(
        reverse("coordination:accounting", args=[client.public_id])
    )
    assert [(d.public_id, d.category_labels) for d in accounting.context["disclosures"]] == [
        (disclosure.public_id, ["assessments"])
    ]


def _score(
    client: Client, instrument_id: str, day: int, *, answers: Any = None, total: Any = None
) -> MeasureResponse:
    return response_record(
        client=client, instrument_id=instrument_id, mode=MeasureResponse.Mode.IN_SESSION,
        actor=client.primary_clinician, administered_at=datetime(2026, 11, day, 16, tzinfo=UTC),
        answers=answers, total=total,
    )  # fmt: skip


PHQ9_ANSWERS = {"1": 2, "2": 2, "3": 1, "4": 1, "5": 0, "6": 1, "7": 0, "8": 0, "9": 1}


@time_machine.travel(NOV_27, tick=False)
def test_the_measures_section_gives_observations_and_answers_with_data_codes_only(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    phq9 = _score(client, "phq9", 3, answers=PHQ9_ANSWERS)
    gad7 = _score(client, "gad7", 3, total=12)
    k10 = _score(client, "k10", 10, total=22)
    voided = _score(client, "gad7", 10, total=20)
    response_void(response=voided, actor=cast.clinician, reason="Entered for the wrong client")
    _score(client, "audit_c", 10, total=7)
    make_consent(client, cast.clinician, provider, ["measures"])

    disclosure = release(client, cast, provider, ["measures"])

    bundle = stored_bundle(disclosure)
    observations = {o.id: o for o in _resources(bundle, "Observation")}
    assert sorted(observations) == sorted(str(r.public_id) for r in (phq9, gad7, k10))
    phq9_observation = observations[str(phq9.public_id)]
    assert [(c.system, c.code) for c in phq9_observation.code.coding] == [(LOINC, "44261-6")]
    assert float(phq9_observation.valueQuantity.value) == 8
    assert phq9_observation.interpretation[0].text == "Mild"
    assert [c.code for c in phq9_observation.category[0].coding] == ["survey"]
    assert [(c.system, c.code) for c in observations[str(gad7.public_id)].code.coding] == [
        (LOINC, "70274-6")
    ]
    # The instruments data has no confirmed LOINC code for the K10, so none is sent.
    k10_code = observations[str(k10.public_id)].code
    assert (k10_code.coding, k10_code.text) == (
        None,
        "Kessler Psychological Distress Scale (10-item) total score",
    )
    answers = _resources(bundle, "QuestionnaireResponse")
    assert len(answers) == 1
    assert phq9_observation.derivedFrom[0].reference == f"urn:uuid:{answers[0].id}"
    group = answers[0].item[0]
    assert (group.linkId, len(group.item)) == ("phq9", 9)
    item9 = group.item[8]
    assert (item9.linkId, item9.answer[0].valueCoding.code) == ("9", "LA6569-3")
    assert (
        item9.text
        == "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    html = _html(disclosure)
    assert "PHQ-9 on 2026-11-03: total 8, Mild" in html
    assert "AUDIT-C" not in html
    assert not any(_labels(o) for o in observations.values())
    assert bundle.meta is None


@time_machine.travel(NOV_27, tick=False)
def test_each_new_section_is_refused_naming_the_categories_no_consent_covers(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    make_consent(client, cast.clinician, provider, ["assessments", "note_summaries"])
    with pytest.raises(ValidationError) as refused:
        release(
            client, cast, provider, ["assessments", "measures", "note_summaries", "progress_notes"]
        )
    assert refused.value.message_dict["categories"] == [
        "No active consent covers 'measures' for Dr. Imani Reyes on 2026-11-27.",
        "No active consent covers 'full progress notes' for Dr. Imani Reyes on 2026-11-27.",
    ]
    with pytest.raises(ValidationError) as refused:
        release(client, cast, provider, ["assessments", "substance_use"])
    assert refused.value.message_dict["categories"] == [
        "No active consent covers 'substance-use-disorder treatment records (42 CFR Part 2)' "
        "for Dr. Imani Reyes on 2026-11-27."
    ]
    assert Disclosure.objects.count() == 0
    assert not AuditEvent.objects.filter(action="coordination.disclosed").exists()


@time_machine.travel(NOV_27, tick=False)
def test_substance_use_parts_go_only_in_the_part2_section_with_label_and_notice(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    intake = _signed_assessment(cast, client, datetime(2026, 11, 5, 16, tzinfo=UTC), INTAKE_ANSWERS)
    phq9 = _score(client, "phq9", 3, answers=PHQ9_ANSWERS)
    audit_c = _score(client, "audit_c", 10, answers={"1": 3, "2": 1, "3": 2})
    make_consent(client, cast.clinician, provider, ["assessments", "measures", "substance_use"])

    disclosure = release(client, cast, provider, ["assessments", "measures", "substance_use"])

    bundle = stored_bundle(disclosure)
    assert [label.code for label in bundle.meta.security] == ["42CFRPart2"]
    labelled = {
        (e.resource.get_resource_type(), e.resource.id)
        for e in bundle.entry
        if _labels(e.resource) == ["42CFRPart2"]
    }
    audit_answers = next(
        r for r in _resources(bundle, "QuestionnaireResponse") if r.item[0].linkId == "audit_c"
    )
    substance_part = next(
        d for d in _resources(bundle, "DocumentReference") if ": substance use" in d.description
    )
    assert labelled == {
        ("Observation", str(audit_c.public_id)),
        ("QuestionnaireResponse", audit_answers.id),
        ("DocumentReference", substance_part.id),
    }
    assessment_part = next(
        d for d in _resources(bundle, "DocumentReference") if d.id == str(intake.public_id)
    )
    assert _text(assessment_part).split("\n")[-1] == SUBSTANCE_USE_NOTE
    assert "Four drinks" not in _text(assessment_part)
    assert substance_part.description == (
        "Biopsychosocial assessment: substance use, signed 2026-11-05 by Cleo Clinician"
    )
    assert _text(substance_part).split("\n") == [
        "Substance use. Substances used in the past year: Alcohol",
        "Substance use. Pattern, amount and consequences of use: Four drinks most evenings.",
    ]
    audit_observation = next(
        o for o in _resources(bundle, "Observation") if o.id == str(audit_c.public_id)
    )
    assert [c.code for c in audit_observation.code.coding] == ["75626-2"]
    assert float(audit_observation.valueQuantity.value) == 6
    assert (
        _labels(next(o for o in _resources(bundle, "Observation") if o.id == str(phq9.public_id)))
        == []
    )
    notices = [
        d for d in _resources(bundle, "DocumentReference") if d.description.startswith("Notice")
    ]
    assert [_text(d) for d in notices] == [part2_notice()["statement"]]
    html = _html(disclosure)
    assert html.count(part2_notice()["statement"]) == 1
    # In the PDF the substance-use items sit under their own heading, after the others.
    sud_heading = html.index("<h2>Substance-use-disorder treatment records (42 CFR Part 2)</h2>")
    assert html.index("Four drinks most evenings.") > sud_heading
    assert html.index("AUDIT-C on 2026-11-10: total 6") > sud_heading
    assert html.index("PHQ-9 on 2026-11-03: total 8") < sud_heading
    assert disclosure.includes_part2 is True


def test_substance_use_diagnoses_are_the_icd10cm_f10_to_f19_categories() -> None:
    records = substance_use_records()
    codes = ["F09", "F10.20", "f19.10", "F20.9", "F55.0", "Z71.41"]
    assert [code for code in codes if records.is_substance_use_diagnosis(code)] == [
        "F10.20",
        "f19.10",
    ]


@time_machine.travel(NOV_27, tick=False)
def test_substance_use_diagnoses_leave_only_in_the_part2_section_labelled(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    panic, alcohol, other = (
        diagnosis_add(client=client, actor=cast.clinician, code=code, rank=rank, status="confirmed")
        for code, rank in (("F41.0", "principal"), ("F10.20", "secondary"), ("F19.10", "secondary"))
    )
    make_consent(client, cast.clinician, provider, ["diagnoses", "substance_use"])

    diagnoses_only = release(client, cast, provider, ["diagnoses"])
    with_part2 = release(client, cast, provider, ["diagnoses", "substance_use"])

    bundle = stored_bundle(diagnoses_only)
    assert [c.id for c in _resources(bundle, "Condition")] == [str(panic.public_id)]
    assert bundle.meta is None
    html = _html(diagnoses_only)
    assert "F10.20" not in html and "F19.10" not in html and "Alcohol" not in html
    assert part2_notice()["statement"] not in html
    note = (
        "Substance-use diagnoses (ICD-10-CM F10\N{EN DASH}F19) are released only under the "
        "category for substance-use-disorder records."
    )
    assert html.count(note) == 1
    assert diagnoses_only.includes_part2 is False

    part2_bundle = stored_bundle(with_part2)
    conditions = {c.id: _labels(c) for c in _resources(part2_bundle, "Condition")}
    assert conditions == {
        str(panic.public_id): [],
        str(alcohol.public_id): ["42CFRPart2"],
        str(other.public_id): ["42CFRPart2"],
    }
    part2_html = _html(with_part2)
    sud_heading = part2_html.index(
        "<h2>Substance-use-disorder treatment records (42 CFR Part 2)</h2>"
    )
    assert part2_html.index("F41.0 Panic disorder") < sud_heading
    assert part2_html.index("F10.20 Alcohol dependence, uncomplicated") > sud_heading
    assert part2_html.index("F19.10 Other psychoactive substance abuse") > sud_heading
    assert part2_html.count(part2_notice()["statement"]) == 1


def _session(cast: Cast, clinician: User, local_start: datetime, **booking: Any) -> Appointment:
    appointment = appointment_book(
        organization=cast.organization, actor=clinician, clinician=clinician,
        start_local=local_start, **booking,
    )[0]  # fmt: skip
    appointment_status_set(appointment=appointment, actor=clinician, status="kept")
    return appointment


def _note(
    appointment: Appointment, author: User, *, sign: bool = True, **fields: Any
) -> ProgressNote:
    note = note_save_draft(
        note=note_start(appointment=appointment, actor=author), actor=author,
        actual_start=appointment.starts_at, actual_end=appointment.ends_at,
        risk_update="no_change", **fields,
    )  # fmt: skip
    return note_sign(note=note, actor=author) if sign else note


def _individual(cast: Cast, client: Client, local_start: datetime, author: User) -> Appointment:
    return _session(
        cast, author, local_start, kind="individual", duration_minutes=50, clients=[client]
    )


SOAP = {
    "format": {"subjective": "Panic twice this week.", "plan": "Weekly; interoceptive exposure."},
    "modality": {"session_focus": "Panic cycle"},
}


@time_machine.travel(NOV_27, tick=False)
def test_progress_notes_go_signed_only_in_full_or_as_summaries_and_never_process_notes(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    SupervisionRelationship.objects.create(
        organization=cast.organization, supervisor=cast.supervisor, supervisee=cast.associate,
        started_on=date(2026, 1, 1),
    )  # fmt: skip
    before_range = _individual(cast, client, datetime(2025, 12, 10, 10), cast.clinician)  # noqa: DTZ001
    _note(before_range, cast.clinician, note_format="soap", modality="generic",
          content={"format": {"subjective": "Before the range"}})  # fmt: skip
    session = _individual(cast, client, datetime(2026, 11, 10, 10), cast.clinician)  # noqa: DTZ001
    signed = _note(
        session, cast.clinician, note_format="soap", modality="generic", content=SOAP,
        interventions="Interoceptive exposure", measures_given="PHQ-9",
    )  # fmt: skip
    note_addendum_add(
        note=signed, actor=cast.clinician, reason="Late entry", body="Client phoned to add."
    )
    psychotherapy_note_save(appointment=session, actor=cast.clinician, body="Private process")
    draft_session = _individual(cast, client, datetime(2026, 11, 12, 10), cast.clinician)  # noqa: DTZ001
    _note(draft_session, cast.clinician, sign=False, note_format="soap", modality="generic",
          content={"format": {"subjective": "Still a draft"}})  # fmt: skip
    associate_session = _individual(cast, client, datetime(2026, 11, 13, 10), cast.associate)  # noqa: DTZ001
    awaiting = _note(associate_session, cast.associate, note_format="soap", modality="generic",
                     content={"format": {"subjective": "Awaiting co-signature"}})  # fmt: skip
    other_member = make_client(cast, "Ben", "Harbor")
    group = therapy_group_create(
        organization=cast.organization, actor=cast.front_desk, name="Panic skills group",
        facilitator=cast.clinician, members=[client, other_member], joined_on=date(2026, 9, 1),
    )  # fmt: skip
    group_session = _session(
        cast, cast.clinician, datetime(2026, 11, 17, 10), kind="group",  # noqa: DTZ001
        duration_minutes=90, therapy_group=group,
    )  # fmt: skip
    group_note = _note(
        group_session, cast.clinician, note_format="birp", modality="generic",
        content={"format": {"behavior": "Group practised paced breathing."}},
        members=[
            MemberEntry(client, "Rowan led the breathing exercise", "Progressing"),
            MemberEntry(other_member, "Ben spoke about his divorce", "Stable"),
        ],
    )  # fmt: skip
    assert awaiting.status == ProgressNote.Status.AWAITING_COSIGN
    make_consent(client, cast.clinician, provider, ["note_summaries", "progress_notes"])

    disclosure = release(client, cast, provider, ["note_summaries", "progress_notes"])

    documents = _resources(stored_bundle(disclosure), "DocumentReference")
    assert [d.description for d in documents] == [
        "Progress-note summary, session of 2026-11-10, by Cleo Clinician",
        "Progress-note summary, session of 2026-11-17, by Cleo Clinician",
        "Progress note, session of 2026-11-10, by Cleo Clinician",
        "Progress note, session of 2026-11-17, by Cleo Clinician",
    ]
    assert [d.id for d in documents[2:]] == [str(signed.public_id), str(group_note.public_id)]
    assert _text(documents[0]).split("\n") == [
        "Individual session, 50 minutes; SOAP note, General",
        "Interventions: Interoceptive exposure",
        "Risk since the last session: no change",
    ]
    assert _text(documents[2]).split("\n") == [
        "Individual session, 50 minutes; SOAP note, General",
        "Interventions: Interoceptive exposure",
        "Risk since the last session: no change",
        "Subjective: Panic twice this week.",
        "Plan: Weekly; interoceptive exposure.",
        "Focus of the session: Panic cycle",
        "Measures given: PHQ-9",
        "Addendum of 2026-11-27 by Cleo Clinician (Late entry): Client phoned to add.",
    ]
    assert _text(documents[3]).split("\n") == [
        "Group session, 90 minutes; BIRP note, General",
        "Risk since the last session: no change",
        "The group's shared narrative is not released: it concerns other members.",
        "Participation: Rowan led the breathing exercise",
        "Progress: Progressing",
    ]
    period = documents[2].context.period
    assert (period.start, period.end) == (session.starts_at, session.ends_at)
    html = _html(disclosure)
    for withheld in (
        "Before the range", "Still a draft", "Awaiting co-signature", "Private process",
        "paced breathing", "Ben spoke",
    ):  # fmt: skip
        assert withheld not in html
        assert all(withheld not in _text(document) for document in documents)
    assert "Rowan led the breathing exercise" in html


ALL_RECORD_CATEGORIES = [
    "assessments",
    "measures",
    "note_summaries",
    "progress_notes",
    "substance_use",
]


def _release_queries(cast: Cast, records: int) -> tuple[int, int]:
    """(queries to release a packet of every new section, resources in its bundle) for a
    client with `records` signed assessments, scores and signed notes."""
    client = make_client(cast, "Query", f"Count{records}")
    provider = make_provider(cast.organization, cast.clinician, f"Dr. Count {records}", npi="")
    for index in range(records):
        day = datetime(2026, 10, 1 + index, 16, tzinfo=UTC)
        _signed_assessment(cast, client, day, INTAKE_ANSWERS)
        _score(client, "phq9", 1 + index, answers=PHQ9_ANSWERS)
        _score(client, "audit_c", 1 + index, total=4)
        # The two clients' sessions are at different hours, so they never overlap.
        start = datetime(2026, 11, 1 + index, 8 + records)  # noqa: DTZ001
        session = _individual(cast, client, start, cast.clinician)
        _note(session, cast.clinician, note_format="soap", modality="generic", content=SOAP)
    make_consent(client, cast.clinician, provider, ALL_RECORD_CATEGORIES)
    with CaptureQueriesContext(connection) as queries:
        disclosure = release(client, cast, provider, ALL_RECORD_CATEGORIES)
    return len(queries), len(stored_bundle(disclosure).entry)


@time_machine.travel(NOV_27, tick=False)
def test_releasing_the_new_sections_runs_the_same_queries_for_few_and_many_records(
    cast: Cast,
) -> None:
    few_queries, few_entries = _release_queries(cast, 2)
    many_queries, many_entries = _release_queries(cast, 6)
    # Per record: assessment, its substance-use part, PHQ-9 observation and answers,
    # AUDIT-C observation, note summary, full note. Plus the Patient and the Part 2 notice.
    assert (few_entries, many_entries) == (2 + 7 * 2, 2 + 7 * 6)
    assert few_queries == many_queries


# Harbor works in Chicago (UTC-6 in November); the server runs in UTC.
CHICAGO = ZoneInfo("America/Chicago")
AROUND_MIDNIGHT = {
    "before the first day": datetime(2026, 11, 2, 22, 45),  # noqa: DTZ001  (Nov 3 in UTC)
    "first day": datetime(2026, 11, 3, 0, 10),  # noqa: DTZ001
    "last day": datetime(2026, 11, 10, 23, 0),  # noqa: DTZ001  (Nov 11 in UTC)
    "after the last day": datetime(2026, 11, 11, 0, 15),  # noqa: DTZ001
}


@time_machine.travel(NOV_27, tick=False)
def test_the_date_range_runs_by_the_organizations_days_around_midnight(
    cast: Cast, settings: Any
) -> None:
    settings.TIME_ZONE = "UTC"
    client = make_client(cast)
    for local in AROUND_MIDNIGHT.values():
        instant = local.replace(tzinfo=CHICAGO)
        response_record(
            client=client, instrument_id="phq9", mode=MeasureResponse.Mode.IN_SESSION,
            actor=cast.clinician, administered_at=instant, answers=PHQ9_ANSWERS,
        )  # fmt: skip
        _signed_assessment(cast, client, instant, INTAKE_ANSWERS)
        _note(_individual(cast, client, local, cast.clinician), cast.clinician,
              note_format="soap", modality="generic", content=SOAP)  # fmt: skip

    packet = packet_assemble(
        client=client, title="t", categories=["assessments", "measures", "note_summaries"],
        recipient="Dr. Imani Reyes", purpose="p", records_from=date(2026, 11, 3),
        records_to=date(2026, 11, 10), consents=[], released_at=NOV_27,
        released_by="Cleo Clinician",
    )  # fmt: skip

    headings = [[item.heading for item in section.content.items] for section in packet.sections]
    assert headings == [
        [
            "Biopsychosocial assessment, signed 2026-11-03 by Cleo Clinician",
            "Biopsychosocial assessment, signed 2026-11-10 by Cleo Clinician",
        ],
        ["PHQ-9 on 2026-11-03: total 8, Mild", "PHQ-9 on 2026-11-10: total 8, Mild"],
        [
            "Progress-note summary, session of 2026-11-03, by Cleo Clinician",
            "Progress-note summary, session of 2026-11-10, by Cleo Clinician",
        ],
    ]
