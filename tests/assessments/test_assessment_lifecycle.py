"""Starting, saving, signing and correcting an assessment through the services."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from tend.assessments.models import Assessment, AssessmentAddendum, AssessmentTemplate
from tend.assessments.services import (
    assessment_addendum_add,
    assessment_autosave,
    assessment_draft_save,
    assessment_sign,
    assessment_start,
)
from tend.audit.models import AuditEvent
from tests.assessments.factories import ANSWERS, make_assessment
from tests.clients.factories import make_open_episode, make_shared_client
from tests.conftest import Cast

NOW = datetime(2026, 11, 20, 15, 4, tzinfo=UTC)
only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_it_starts_an_assessment_on_the_default_template_and_the_open_episode(
    cast: Cast,
) -> None:
    client = make_shared_client(cast)
    episode = make_open_episode(cast, client)

    assessment = assessment_start(client=client, actor=cast.clinician)

    assert (assessment.status, assessment.answers, assessment.episode) == ("draft", {}, episode)
    assert (assessment.template.organization, assessment.template.key) == (None, "biopsychosocial")
    assert assessment.template.version == 1
    assert AssessmentTemplate.objects.count() == 1
    [event] = events("assessments.started")
    assert (event.actor_id, event.subject_id, event.client_id) == (
        cast.clinician.public_id,
        str(assessment.public_id),
        client.public_id,
    )
    assert event.subject_type == "assessments.assessment"
    assert event.extra == {"template": "biopsychosocial", "version": 1}


def test_starting_again_continues_the_existing_draft(cast: Cast) -> None:
    client = make_shared_client(cast)
    first = assessment_start(client=client, actor=cast.clinician)

    second = assessment_start(client=client, actor=cast.associate)

    assert second == first
    assert Assessment.objects.count() == 1
    assert len(events("assessments.started")) == 1


def test_saving_a_draft_records_which_fields_changed(cast: Cast) -> None:
    assessment = make_assessment(cast)

    saved = assessment_draft_save(
        assessment=assessment,
        actor=cast.clinician,
        answers={**ANSWERS, "trauma_history": {"trauma_reported": "no"}},
    )

    assert saved.answers["trauma_history"] == {"trauma_reported": "no"}
    first, second = events("assessments.draft_saved")
    assert first.extra == {
        "fields": [
            "mental_status_exam__appearance",
            "mental_status_exam__insight",
            "mental_status_exam__mood",
            "presenting_problem__onset_date",
            "presenting_problem__presenting_problem",
            "risk_screening__overall_risk",
            "risk_screening__suicidal_ideation",
        ],
        "autosave": False,
    }
    assert second.extra == {"fields": ["trauma_history__trauma_reported"], "autosave": False}


def test_saving_unchanged_answers_writes_nothing(cast: Cast) -> None:
    assessment = make_assessment(cast)
    updated_at = assessment.updated_at

    with time_machine.travel(datetime(2026, 11, 20, 16, 0, tzinfo=UTC), tick=False):
        saved = assessment_draft_save(assessment=assessment, actor=cast.clinician, answers=ANSWERS)

    assert saved.updated_at == updated_at
    assert len(events("assessments.draft_saved")) == 1


def test_an_invalid_answer_saves_nothing_and_names_the_field(cast: Cast) -> None:
    assessment = make_assessment(cast)

    with pytest.raises(ValidationError) as caught:
        assessment_draft_save(
            assessment=assessment,
            actor=cast.clinician,
            answers={
                "presenting_problem": {"presenting_problem": "new", "onset_date": "2026-13-01"}
            },
        )

    assert caught.value.message_dict == {
        "presenting_problem__onset_date": ["This date does not exist."]
    }
    assessment.refresh_from_db()
    assert assessment.answers == ANSWERS


def test_autosave_keeps_the_saved_value_of_a_bad_field_and_saves_the_rest(cast: Cast) -> None:
    assessment = make_assessment(cast)

    saved, errors = assessment_autosave(
        assessment=assessment,
        actor=cast.clinician,
        answers={
            "presenting_problem": {"presenting_problem": "y" * 4001},
            "trauma_history": {"trauma_reported": "yes"},
        },
    )

    assert errors == {
        "presenting_problem__presenting_problem": [
            "Keep this to 4,000 characters or fewer (it has 4,001)."
        ]
    }
    saved.refresh_from_db()
    assert saved.answers == {
        "presenting_problem": {
            "presenting_problem": ANSWERS["presenting_problem"]["presenting_problem"]
        },
        "trauma_history": {"trauma_reported": "yes"},
    }
    assert events("assessments.draft_saved")[-1].extra["autosave"] is True


def test_signing_stores_the_hash_of_the_canonical_answers(cast: Cast) -> None:
    assessment = make_assessment(cast)

    signed = assessment_sign(assessment=assessment, actor=cast.clinician)

    canonical = json.dumps(ANSWERS, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert signed.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert (signed.status, signed.signed_at, signed.signed_by) == ("signed", NOW, cast.clinician)
    [event] = events("assessments.signed")
    assert event.extra == {"content_hash": signed.content_hash}
    assert event.subject_id == str(assessment.public_id)


def test_only_the_author_signs(cast: Cast) -> None:
    assessment = make_assessment(cast)

    with pytest.raises(ValidationError, match=r"Only the author can sign this assessment\."):
        assessment_sign(assessment=assessment, actor=cast.associate)

    assessment.refresh_from_db()
    assert (assessment.status, assessment.content_hash) == ("draft", "")


def test_an_empty_draft_cannot_be_signed(cast: Cast) -> None:
    assessment = assessment_start(client=make_shared_client(cast), actor=cast.clinician)

    with pytest.raises(ValidationError, match=r"Fill in at least one field before signing\."):
        assessment_sign(assessment=assessment, actor=cast.clinician)


def test_a_signed_assessment_cannot_be_changed_through_the_services(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)
    before = Assessment.objects.values().get(pk=assessment.pk)

    for attempt in (
        lambda: assessment_draft_save(
            assessment=assessment, actor=cast.clinician, answers={"trauma_history": {}}
        ),
        lambda: assessment_autosave(assessment=assessment, actor=cast.clinician, answers={}),
        lambda: assessment_sign(assessment=assessment, actor=cast.clinician),
    ):
        with pytest.raises(ValidationError, match="This assessment is signed"):
            attempt()

    assert Assessment.objects.values().get(pk=assessment.pk) == before
    assert len(events("assessments.signed")) == 1


def test_an_addendum_is_appended_and_leaves_the_signed_assessment_intact(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)
    before = Assessment.objects.values().get(pk=assessment.pk)

    addendum = assessment_addendum_add(
        assessment=assessment,
        actor=cast.clinician,
        reason="  Onset date corrected  ",
        text="The client later placed the onset in February, not March.",
    )

    assert Assessment.objects.values().get(pk=assessment.pk) == before
    assert list(AssessmentAddendum.objects.values_list("reason", "text", "author")) == [
        (
            "Onset date corrected",
            "The client later placed the onset in February, not March.",
            cast.clinician.pk,
        )
    ]
    [event] = events("assessments.addendum_added")
    assert (event.subject_id, event.extra) == (
        str(addendum.public_id),
        {"assessment": str(assessment.public_id)},
    )


def test_a_draft_takes_edits_not_addenda(cast: Cast) -> None:
    assessment = make_assessment(cast)

    with pytest.raises(ValidationError, match="addenda are for signed assessments"):
        assessment_addendum_add(assessment=assessment, actor=cast.clinician, reason="r", text="t")

    assert AssessmentAddendum.objects.count() == 0


@only_on_postgresql
def test_postgresql_refuses_to_update_or_delete_a_signed_assessment(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)

    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(answers={"tampered": {}})
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        AssessmentAddendum.objects.all().delete()
        Assessment.objects.filter(pk=assessment.pk).delete()

    assessment.refresh_from_db()
    assert assessment.answers == ANSWERS


@only_on_postgresql
def test_postgresql_still_lets_a_draft_be_updated(cast: Cast) -> None:
    assessment = make_assessment(cast)

    Assessment.objects.filter(pk=assessment.pk).update(answers={})

    assessment.refresh_from_db()
    assert assessment.answers == {}


@only_on_postgresql
def test_postgresql_refuses_to_change_an_addendum(cast: Cast) -> None:
    assessment = make_assessment(cast, signed=True)
    assessment_addendum_add(assessment=assessment, actor=cast.clinician, reason="r", text="t")

    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        AssessmentAddendum.objects.update(text="rewritten")
