"""Reads of assessments and diagnoses. Callers pass a client already opened through
`tend.clients.access.client_for_user`; every function runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from tend.accounts.models import Organization
from tend.assessments.definition import DEFAULT_TEMPLATE_KEY, default_definition
from tend.assessments.models import Assessment, AssessmentAddendum, AssessmentTemplate, Diagnosis
from tend.clients.models import Client
from tend.core.dates import on_days

_RANK_ORDER = {Diagnosis.Rank.PRINCIPAL: 0, Diagnosis.Rank.SECONDARY: 1}


def client_assessments(client: Client) -> list[Assessment]:
    """The client's assessments, newest first, without their answers (one query)."""
    return list(
        Assessment.objects.filter(client=client)
        .select_related("template", "author", "signed_by")
        .defer("answers")
        .order_by("-created_at", "-id")
    )


def signed_assessments(
    client: Client, *, signed_from: date | None, signed_to: date | None
) -> list[Assessment]:
    """The client's signed assessments signed within the range (either end open, days as
    they run where the organization works), oldest first, with their templates and addenda
    (two queries)."""
    assessments = Assessment.objects.filter(
        on_days("signed_at", signed_from, signed_to, client.organization.timezone),
        client=client,
        status=Assessment.Status.SIGNED,
    )
    return list(
        assessments.select_related("template", "signed_by")
        .prefetch_related(
            Prefetch(
                "addenda",
                queryset=AssessmentAddendum.objects.select_related("author").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("signed_at", "id")
    )


def assessment_addenda(assessment: Assessment) -> QuerySet[AssessmentAddendum]:
    return assessment.addenda.select_related("author").order_by("created_at", "id")


def _sorted_current(rows: list[Diagnosis]) -> list[Diagnosis]:
    return sorted(rows, key=lambda row: (_RANK_ORDER[Diagnosis.Rank(row.rank)], row.code))


def current_diagnoses(client: Client) -> list[Diagnosis]:
    """The latest entry of each of the client's diagnoses, principal first (one query)."""
    rows = Diagnosis.objects.filter(client=client, superseded_by__isnull=True).select_related(
        "diagnosed_by", "supersedes"
    )
    return _sorted_current(list(rows))


def active_diagnoses(client: Client) -> list[Diagnosis]:
    """Current diagnoses that are not resolved, principal first (one query)."""
    rows = (
        Diagnosis.objects.filter(client=client, superseded_by__isnull=True)
        .exclude(status=Diagnosis.Status.RESOLVED)
        .only("public_id", "code", "description", "rank", "status")
    )
    return _sorted_current(list(rows))


@dataclass(frozen=True)
class DiagnosisHistory:
    current: Diagnosis
    earlier: list[Diagnosis]  # newest first


def diagnosis_histories(client: Client) -> list[DiagnosisHistory]:
    """Each diagnosis with the entries it replaced (one query for the whole history)."""
    rows = list(
        Diagnosis.objects.filter(client=client)
        .select_related("diagnosed_by")
        .order_by("created_at", "id")
    )
    by_id = {row.pk: row for row in rows}
    replaced = {row.supersedes_id for row in rows if row.supersedes_id is not None}
    histories = []
    for row in _sorted_current([row for row in rows if row.pk not in replaced]):
        earlier = []
        previous_id = row.supersedes_id
        while previous_id is not None:
            previous = by_id[previous_id]
            earlier.append(previous)
            previous_id = previous.supersedes_id
        histories.append(DiagnosisHistory(current=row, earlier=earlier))
    return histories


@dataclass(frozen=True)
class AnsweredField:
    label: str
    value: str


@dataclass(frozen=True)
class AnsweredSection:
    key: str
    title: str
    fields: list[AnsweredField]


def answered_sections(assessment: Assessment) -> list[AnsweredSection]:
    """The assessment's answers for reading, in template order, with option labels."""
    template = assessment.template.parsed
    sections = []
    for section in template.sections:
        answers = assessment.answers.get(section.key, {})
        fields = [
            AnsweredField(label=spec.label, value=spec.display(answers[spec.key]))
            for spec in section.fields
            if spec.key in answers
        ]
        sections.append(AnsweredSection(key=section.key, title=section.title, fields=fields))
    return sections


def current_definition(organization: Organization) -> dict[str, Any]:
    """The definition new assessments in the organization would use (no writes)."""
    own = organization_templates(organization, DEFAULT_TEMPLATE_KEY).first()
    return own.definition if own is not None else default_definition()


def organization_templates(organization: Organization, key: str) -> QuerySet[AssessmentTemplate]:
    """The organization's own versions of a template, newest first."""
    return AssessmentTemplate.objects.filter(organization=organization, key=key).order_by(
        "-version"
    )
