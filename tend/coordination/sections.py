"""Packet sections for records other apps keep, read through their selectors.

Registered from CoordinationConfig.ready(): diagnoses (assessments) become FHIR
Conditions, the treatment plan in force (plans) a CarePlan with its Goals, and
author-released psychotherapy notes (care) DocumentReferences. The care app has no
selector for released process notes yet, so that one builder reads its model directly.
"""

from __future__ import annotations

import base64
from typing import Any

from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.resource import Resource

from tend.coordination.models import InformationCategory
from tend.coordination.packets import (
    PacketItem,
    PacketScope,
    SectionContent,
    register_packet_section,
)
from tend.coordination.selectors import organization_today

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
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


def diagnoses_section(scope: PacketScope) -> SectionContent:
    from tend.assessments.selectors import current_diagnoses

    items = []
    resources: list[Resource] = []
    for diagnosis in current_diagnoses(scope.client):
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


def psychotherapy_notes_section(scope: PacketScope) -> SectionContent:
    """Only the process notes their author released (care's `psychotherapy_note_release`),
    from sessions of this client in the packet's date range."""
    from tend.care.models import PsychotherapyNote

    notes = PsychotherapyNote.objects.filter(
        appointment__participants__client=scope.client, released_at__isnull=False
    )
    if scope.records_from:
        notes = notes.filter(appointment__starts_at__date__gte=scope.records_from)
    if scope.records_to:
        notes = notes.filter(appointment__starts_at__date__lte=scope.records_to)
    items = []
    resources: list[Resource] = []
    for note in notes.select_related("appointment", "author").order_by("appointment__starts_at"):
        heading = (
            f"Psychotherapy note, session of {note.appointment.starts_at:%Y-%m-%d}, "
            f"by {note.author.display_name}"
        )
        items.append(PacketItem(heading, (note.body,)))
        resources.append(
            DocumentReference.model_validate(
                {
                    "id": str(note.public_id),
                    "status": "current",
                    "description": heading,
                    "subject": {"reference": scope.patient_reference},
                    "date": note.appointment.starts_at.isoformat(),
                    "content": [
                        {
                            "attachment": {
                                "contentType": "text/plain",
                                "data": base64.b64encode(note.body.encode()).decode(),
                            }
                        }
                    ],
                }
            )
        )
    return SectionContent(items=items, resources=resources)


def register_sections() -> None:
    register_packet_section(InformationCategory.DIAGNOSES, diagnoses_section)
    register_packet_section(InformationCategory.TREATMENT_PLAN, treatment_plan_section)
    register_packet_section(InformationCategory.PSYCHOTHERAPY_NOTES, psychotherapy_notes_section)
