"""Packet sections for records other apps keep, read through their selectors.

Registered from CoordinationConfig.ready(): diagnoses (assessments) become FHIR
Conditions; the treatment plan in force (plans) a CarePlan with its Goals; signed
assessments (assessments) and signed progress notes (care) DocumentReferences; scores
(measures) Observations, with a QuestionnaireResponse where item answers were recorded;
author-released psychotherapy notes (care) DocumentReferences.

The substance-use parts of diagnoses, assessments and measures (data/coordination/
substance_use_records.yaml) leave only in the substance-use section, labelled for
42 CFR Part 2, never under "diagnoses", "assessments" or "measures". Each builder runs a
fixed number of queries whatever the size of the record.
"""

from __future__ import annotations

import base64
import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.resource import Resource

from tend.coordination.models import InformationCategory
from tend.coordination.packets import (
    PART2_SECURITY_LABEL,
    PacketItem,
    PacketScope,
    SectionContent,
    register_packet_section,
)
from tend.coordination.selectors import organization_today

if TYPE_CHECKING:
    from tend.assessments.models import Assessment
    from tend.care.models import ProgressNote
    from tend.measures.instruments import Instrument
    from tend.measures.models import MeasureResponse

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
# FHIR's observation-category code system; "survey" is its code for questionnaire scores
# (https://terminology.hl7.org/CodeSystem-observation-category.html).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SUBSTANCE_USE_PATH = (
    Path(settings.BASE_DIR) / "data" / "coordination" / "substance_use_records.yaml"
)
_CLINICAL_STATUS = {
    "provisional": "active",
    "confirmed": "active",
    "rule_out": "active",
    "in_remission": "remission",
    "resolved": "resolved",
}
_VERIFICATION = {
    "provisional": "provisional",
    "confirmed": "confirmed",
    "rule_out": "differential",
    "in_remission": "confirmed",
    "resolved": "confirmed",
}


def _diagnoses_content(scope: PacketScope, *, substance_use: bool) -> SectionContent:
    from tend.assessments.selectors import current_diagnoses

    records = substance_use_records()
    items = []
    resources: list[Resource] = []
    for diagnosis in current_diagnoses(scope.client):
        if records.is_substance_use_diagnosis(diagnosis.code) != substance_use:
            continue
        items.append(
            PacketItem(
                f"{diagnosis.code} {diagnosis.description}",
                (
                    f"{diagnosis.get_rank_display()}, {diagnosis.get_status_display().lower()}",
                    f"Onset: {diagnosis.onset_date:%Y-%m-%d}" if diagnosis.onset_date else "",
                ),
            )
        )
        data: dict[str, Any] = {
            "id": str(diagnosis.public_id),
            **_part2_meta(substance_use),
            "clinicalStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        "code": _CLINICAL_STATUS[diagnosis.status],
                    }
                ]
            },
            "verificationStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                        "code": _VERIFICATION[diagnosis.status],
                    }
                ]
            },
            "code": {
                "coding": [
                    {"system": ICD10CM, "code": diagnosis.code, "display": diagnosis.description}
                ],
                "text": diagnosis.description,
            },
            "subject": {"reference": scope.patient_reference},
        }
        if diagnosis.onset_date:
            data["onsetDateTime"] = diagnosis.onset_date.isoformat()
        resources.append(Condition.model_validate(data))
    return SectionContent(items=items, resources=resources)


def diagnoses_section(scope: PacketScope) -> SectionContent:
    """The client's current diagnoses, without the substance-use ones."""
    content = _diagnoses_content(scope, substance_use=False)
    # Said whether or not the client has such a diagnosis, so the sentence reveals nothing.
    ranges = ", ".join(
        f"{first}\N{EN DASH}{last}" for first, last in substance_use_records().diagnosis_code_ranges
    )
    note = (
        f"Substance-use diagnoses (ICD-10-CM {ranges}) are released only under the "
        "category for substance-use-disorder records."
    )
    return SectionContent(items=content.items, resources=content.resources, note=note)


def treatment_plan_section(scope: PacketScope) -> SectionContent:
    from tend.plans.selectors import objectives_active_on, plan_active_on

    on = scope.records_to or organization_today(scope.client.organization)
    plan = plan_active_on(scope.client, on)
    if plan is None:
        return SectionContent()
    objectives = objectives_active_on(scope.client, on)
    goals: dict[int, list[str]] = {}
    goal_rows = {}
    for objective in objectives:
        goal_rows[objective.goal_id] = objective.goal
        goals.setdefault(objective.goal_id, []).append(
            f"Objective: {objective.description} (by {objective.target_date:%Y-%m-%d})"
        )
    items = [
        PacketItem(f"Goal: {goal_rows[pk].client_words}", (goal_rows[pk].statement, *lines))
        for pk, lines in goals.items()
    ]
    goal_resources: list[Resource] = [
        Goal.model_validate(
            {
                "id": str(goal.public_id),
                "lifecycleStatus": "active",
                "description": {"text": goal.statement},
                "subject": {"reference": scope.patient_reference},
                "note": [{"text": f"In the client's words: {goal.client_words}"}],
                "target": [
                    {
                        "dueDate": objective.target_date.isoformat(),
                        "detailString": objective.description,
                    }
                    for objective in objectives
                    if objective.goal_id == goal.pk
                ],
            }
        )
        for goal in goal_rows.values()
    ]
    care_plan: dict[str, Any] = {
        "id": str(plan.public_id),
        "status": "active",
        "intent": "plan",
        "title": f"Treatment plan, version {plan.version}",
        "subject": {"reference": scope.patient_reference},
        "goal": [{"reference": f"urn:uuid:{goal.id}"} for goal in goal_resources],
    }
    if plan.activated_on:
        care_plan["period"] = {"start": plan.activated_on.isoformat()}
    return SectionContent(
        items=items, resources=[CarePlan.model_validate(care_plan), *goal_resources]
    )


@dataclass(frozen=True)
class SubstanceUseRecords:
    assessment_sections: frozenset[str]
    instruments: frozenset[str]
    # ICD-10-CM three-character categories, first and last of each range included.
    diagnosis_code_ranges: tuple[tuple[str, str], ...]

    def is_substance_use_diagnosis(self, code: str) -> bool:
        category = code[:3].upper()
        return any(first <= category <= last for first, last in self.diagnosis_code_ranges)


@cache
def substance_use_records() -> SubstanceUseRecords:
    """The record parts released only under the substance-use category (data file)."""
    with SUBSTANCE_USE_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return SubstanceUseRecords(
        assessment_sections=frozenset(data["assessment_sections"]),
        instruments=frozenset(data["instruments"]),
        diagnosis_code_ranges=tuple(
            (entry["first"], entry["last"]) for entry in data["diagnosis_code_ranges"]
        ),
    )


def _derived_id(public_id: uuid.UUID, part: str) -> str:
    """A stable id for a second resource made from one record (a note's summary, an
    assessment's substance-use part), so the same record never yields two equal ids."""
    return str(uuid.uuid5(public_id, part))


def _local_day(scope: PacketScope, instant: datetime) -> str:
    zone = zoneinfo.ZoneInfo(scope.client.organization.timezone)
    return f"{instant.astimezone(zone):%Y-%m-%d}"


def _part2_meta(part2: bool) -> dict[str, Any]:
    return {"meta": {"security": [PART2_SECURITY_LABEL]}} if part2 else {}


def _text_document(
    scope: PacketScope,
    *,
    resource_id: str,
    kind: str,
    heading: str,
    lines: Sequence[str],
    dated: datetime,
    authors: Sequence[str] = (),
    period: tuple[datetime, datetime] | None = None,
    part2: bool = False,
) -> DocumentReference:
    """A DocumentReference carrying exactly the packet item's text (the PDF's lines)."""
    data: dict[str, Any] = {
        "id": resource_id,
        **_part2_meta(part2),
        "status": "current",
        "docStatus": "final",
        "type": {"text": kind},
        "description": heading,
        "subject": {"reference": scope.patient_reference},
        "date": dated.isoformat(),
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode("\n".join(lines).encode()).decode(),
                    "title": heading,
                }
            }
        ],
    }
    if authors:
        data["author"] = [{"display": name} for name in authors]
    if period is not None:
        data["context"] = {"period": {"start": period[0].isoformat(), "end": period[1].isoformat()}}
    return DocumentReference.model_validate(data)


def _addendum_line(
    scope: PacketScope, written: datetime, author: str, reason: str, text: str
) -> str:
    return f"Addendum of {_local_day(scope, written)} by {author} ({reason}): {text}"


def _assessment_lines(
    scope: PacketScope, assessment: Assessment, *, substance_use: bool
) -> list[str]:
    from tend.assessments.selectors import answered_sections

    held_back = substance_use_records().assessment_sections
    lines = [
        f"{section.title}. {field.label}: {field.value}"
        for section in answered_sections(assessment)
        if (section.key in held_back) == substance_use
        for field in section.fields
    ]
    if substance_use:
        return lines
    lines.extend(
        _addendum_line(
            scope, addendum.created_at, addendum.author.display_name, addendum.reason, addendum.text
        )
        for addendum in assessment.addenda.all()
    )
    lines.append(
        "The assessment's substance-use part is released only under the category "
        "for substance-use-disorder records."
    )
    return lines


def _assessments_content(scope: PacketScope, *, substance_use: bool) -> SectionContent:
    from tend.assessments.selectors import signed_assessments

    items = []
    resources: list[Resource] = []
    for assessment in signed_assessments(
        scope.client, signed_from=scope.records_from, signed_to=scope.records_to
    ):
        lines = _assessment_lines(scope, assessment, substance_use=substance_use)
        if not lines:
            continue
        assert assessment.signed_at is not None and assessment.signed_by is not None  # noqa: S101  (signed)
        title = assessment.template.title
        if substance_use:
            title = f"{title}: substance use"
        heading = (
            f"{title}, signed {_local_day(scope, assessment.signed_at)} "
            f"by {assessment.signed_by.display_name}"
        )
        items.append(PacketItem(heading, tuple(lines)))
        resources.append(
            _text_document(
                scope,
                resource_id=_derived_id(assessment.public_id, "substance_use")
                if substance_use
                else str(assessment.public_id),
                kind=assessment.template.title,
                heading=heading,
                lines=lines,
                dated=assessment.signed_at,
                authors=[assessment.signed_by.display_name],
                part2=substance_use,
            )
        )
    return SectionContent(items=items, resources=resources)


def assessments_section(scope: PacketScope) -> SectionContent:
    """Signed biopsychosocial assessments, their addenda, without the substance-use part."""
    return _assessments_content(scope, substance_use=False)


def _total_coding(instrument: Instrument) -> list[dict[str, str]]:
    # Only codes the instruments data gives and has not marked as unverified.
    code = instrument.loinc_total
    if code is None or code in instrument.loinc_unverified:
        return []
    return [{"system": LOINC, "code": code, "display": f"{instrument.abbreviation} total score"}]


def _answer(instrument: Instrument, value: float, options: Sequence[Any]) -> dict[str, Any]:
    option = next((option for option in options if option.value == value), None)
    if option is not None and option.loinc and option.loinc not in instrument.loinc_unverified:
        return {"valueCoding": {"system": LOINC, "code": option.loinc, "display": option.label}}
    if float(value).is_integer():
        return {"valueInteger": int(value)}
    return {"valueDecimal": value}


def _score_resources(
    scope: PacketScope, response: MeasureResponse, instrument: Instrument, *, part2: bool
) -> tuple[list[str], list[Resource]]:
    lines = []
    answered = []
    for item in instrument.items:
        value = response.answers.get(str(item.n))
        if value is None:
            continue
        label = item.display_text or item.construct or ""
        option = next((option for option in item.options if option.value == value), None)
        shown = f"{option.label} ({value:g})" if option is not None else f"{value:g}"
        lines.append(f"Item {item.n}, {label}: {shown}")
        answered.append(
            {
                "linkId": str(item.n),
                "text": label,
                "answer": [_answer(instrument, value, item.options)],
            }
        )
    resources: list[Resource] = []
    observation: dict[str, Any] = {
        "id": str(response.public_id),
        **_part2_meta(part2),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": {"coding": _total_coding(instrument), "text": f"{instrument.name} total score"},
        "subject": {"reference": scope.patient_reference},
        "effectiveDateTime": response.administered_at.isoformat(),
    }
    if not observation["code"]["coding"]:
        del observation["code"]["coding"]
    if response.total is not None:
        observation["valueQuantity"] = {"value": response.total}
    elif response.risk_level:
        observation["code"]["text"] = f"{instrument.name} risk level"
        observation["valueString"] = response.risk_level
    if response.band:
        observation["interpretation"] = [{"text": response.band}]
    if answered:
        questionnaire_response = QuestionnaireResponse.model_validate(
            {
                "id": _derived_id(response.public_id, "answers"),
                **_part2_meta(part2),
                "status": "completed",
                "subject": {"reference": scope.patient_reference},
                "authored": response.administered_at.isoformat(),
                "item": [{"linkId": instrument.id, "text": instrument.name, "item": answered}],
            }
        )
        observation["derivedFrom"] = [{"reference": f"urn:uuid:{questionnaire_response.id}"}]
        resources.append(questionnaire_response)
    resources.insert(0, Observation.model_validate(observation))
    return lines, resources


def _measures_content(scope: PacketScope, *, substance_use: bool) -> SectionContent:
    from tend.measures.instruments import load_instruments
    from tend.measures.selectors import scores_in_range

    instruments = load_instruments()
    substance_use_ids = substance_use_records().instruments
    items = []
    resources: list[Resource] = []
    for response in scores_in_range(
        scope.client, administered_from=scope.records_from, administered_to=scope.records_to
    ):
        if (response.instrument_id in substance_use_ids) != substance_use:
            continue
        instrument = instruments[response.instrument_id]
        if response.total is not None:
            result = f"total {response.total:g}"
        else:
            result = f"risk level {response.risk_level}" if response.risk_level else "no total"
        band = f", {response.band}" if response.band else ""
        heading = (
            f"{instrument.abbreviation} on {_local_day(scope, response.administered_at)}: "
            f"{result}{band}"
        )
        lines, score_resources = _score_resources(scope, response, instrument, part2=substance_use)
        items.append(PacketItem(heading, tuple(lines)))
        resources.extend(score_resources)
    return SectionContent(items=items, resources=resources)


def measures_section(scope: PacketScope) -> SectionContent:
    """Scores in the range (voided ones left out), without substance-use instruments."""
    return _measures_content(scope, substance_use=False)


def substance_use_section(scope: PacketScope) -> SectionContent:
    """Substance-use diagnoses, the substance-use parts of signed assessments and the
    substance-use instruments' scores, each resource labelled 42CFRPart2."""
    parts = [
        _diagnoses_content(scope, substance_use=True),
        _assessments_content(scope, substance_use=True),
        _measures_content(scope, substance_use=True),
    ]
    return SectionContent(
        items=[item for part in parts for item in part.items],
        resources=[resource for part in parts for resource in part.resources],
    )


def _note_summary_lines(note: ProgressNote) -> list[str]:
    from tend.care.note_templates import section_title

    lines = [
        f"{note.appointment.get_kind_display()} session"
        + (f", {note.minutes} minutes" if note.minutes is not None else "")
        + f"; {section_title('format', note.note_format)} note, "
        f"{section_title('modality', note.modality)}",
    ]
    if note.interventions:
        lines.append(f"Interventions: {note.interventions}")
    for entry in note.objectives.all():
        value = f" (measured {entry.value})" if entry.value is not None else ""
        lines.append(
            f"Objective: {entry.objective.description}: {entry.get_progress_display()}{value}"
        )
    lines.append(f"Risk since the last session: {note.get_risk_update_display().lower()}")
    if note.cosigned_by is not None:
        lines.append(f"Co-signed by {note.cosigned_by.display_name}")
    return lines


def _note_full_lines(scope: PacketScope, note: ProgressNote) -> list[str]:
    from tend.care.models import Appointment
    from tend.care.note_templates import content_for_display

    lines = _note_summary_lines(note)
    if note.appointment.kind == Appointment.Kind.GROUP:
        # The shared part of a group note is about the whole group; the other members
        # did not authorize this release. The client's own part goes.
        lines.append("The group's shared narrative is not released: it concerns other members.")
    else:
        lines.extend(
            f"{label}: {text}"
            for label, text in content_for_display(note.note_format, note.modality, note.content)
        )
    for part in note.client_member_sections:  # type: ignore[attr-defined]
        if part.participation:
            lines.append(f"Participation: {part.participation}")
        if part.progress:
            lines.append(f"Progress: {part.progress}")
    if note.risk_details:
        lines.append(f"Risk details: {note.risk_details}")
    if note.measures_given:
        lines.append(f"Measures given: {note.measures_given}")
    lines.extend(
        _addendum_line(
            scope, addendum.created_at, addendum.author.display_name, addendum.reason, addendum.body
        )
        for addendum in note.addenda.all()
    )
    return lines


def _notes_content(scope: PacketScope, *, full: bool) -> SectionContent:
    from tend.care.selectors import final_notes_of

    kind = "Progress note" if full else "Progress-note summary"
    items = []
    resources: list[Resource] = []
    for note in final_notes_of(scope.client, start=scope.records_from, end=scope.records_to):
        assert note.signed_at is not None  # noqa: S101  (final notes are signed)
        heading = (
            f"{kind}, session of {_local_day(scope, note.appointment.starts_at)}, "
            f"by {note.author.display_name}"
        )
        lines = _note_full_lines(scope, note) if full else _note_summary_lines(note)
        items.append(PacketItem(heading, tuple(lines)))
        resources.append(
            _text_document(
                scope,
                resource_id=str(note.public_id) if full else _derived_id(note.public_id, "summary"),
                kind=kind,
                heading=heading,
                lines=lines,
                dated=note.signed_at,
                authors=[note.author.display_name],
                period=(note.actual_start, note.actual_end)
                if note.actual_start and note.actual_end
                else None,
            )
        )
    return SectionContent(items=items, resources=resources)


def progress_notes_section(scope: PacketScope) -> SectionContent:
    """Signed, final progress notes in full, with their addenda."""
    return _notes_content(scope, full=True)


def note_summaries_section(scope: PacketScope) -> SectionContent:
    """Signed, final progress notes without their narrative: the session, interventions,
    objectives addressed and whether risk changed."""
    return _notes_content(scope, full=False)


def psychotherapy_notes_section(scope: PacketScope) -> SectionContent:
    """Only the process notes their author released (care's `psychotherapy_note_release`),
    from sessions of this client in the packet's date range."""
    from tend.care.selectors import released_psychotherapy_notes

    items = []
    resources: list[Resource] = []
    for note in released_psychotherapy_notes(
        scope.client, start=scope.records_from, end=scope.records_to
    ):
        heading = (
            f"Psychotherapy note, session of {_local_day(scope, note.appointment.starts_at)}, "
            f"by {note.author.display_name}"
        )
        items.append(PacketItem(heading, (note.body,)))
        resources.append(
            _text_document(
                scope,
                resource_id=str(note.public_id),
                kind="Psychotherapy note",
                heading=heading,
                lines=(note.body,),
                dated=note.appointment.starts_at,
                authors=[note.author.display_name],
            )
        )
    return SectionContent(items=items, resources=resources)


def register_sections() -> None:
    register_packet_section(InformationCategory.DIAGNOSES, diagnoses_section)
    register_packet_section(InformationCategory.TREATMENT_PLAN, treatment_plan_section)
    register_packet_section(InformationCategory.ASSESSMENTS, assessments_section)
    register_packet_section(InformationCategory.MEASURES, measures_section)
    register_packet_section(InformationCategory.NOTE_SUMMARIES, note_summaries_section)
    register_packet_section(InformationCategory.PROGRESS_NOTES, progress_notes_section)
    register_packet_section(InformationCategory.SUBSTANCE_USE, substance_use_section)
    register_packet_section(InformationCategory.PSYCHOTHERAPY_NOTES, psychotherapy_notes_section)
