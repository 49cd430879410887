"""The risk pathway: flags that only a clinician's assessment lowers, alerts acknowledged
with the action taken, the structured screening with override, versioned safety plans."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from tend.audit.models import AuditEvent
from tend.measures.models import RiskAlert, RiskAssessment, SafetyPlan
from tend.measures.selectors import measures_overview, risk_status
from tend.measures.services import (
    SAFETY_PLAN_FIELDS,
    alert_acknowledge,
    response_void,
    risk_assessment_record,
    safety_plan_save,
)
from tests.conftest import Cast, second_load
from tests.measures.factories import make_client, phq9, score

TZ = ZoneInfo("America/Chicago")

NO = {"1": 0, "2": 0, "6": 0}


def _plan(cast: Cast, client: object, **changes: str) -> SafetyPlan:
    parts = {
        "warning_signs": "Staying in bed, not answering texts",
        "coping_strategies": "Walk the dog; shower; music",
        "distraction_people_places": "Coffee shop on 5th; cousin Ana",
        "help_contacts": "Sister Mara 555-0101",
        "professionals_agencies": "Clinic 555-0199; 988 Suicide & Crisis Lifeline",
        "environment_safety": "Medication kept by Mara",
        "reasons_for_living": "My niece",
    }
    parts.update(changes)
    return safety_plan_save(
        client=client,  # type: ignore[arg-type]
        actor=cast.clinician,
        reviewed_with_client_on=date(2026, 11, 20),
        **parts,
    )


def test_a_negative_phq2_never_clears_a_risk_flag(cast: Cast) -> None:
    client = make_client(cast)
    flagged = score(client, "phq9", datetime(2026, 11, 1, 10, tzinfo=TZ), answers=phq9(item9=2))
    score(client, "phq2", datetime(2026, 11, 8, 10, tzinfo=TZ), answers={"1": 0, "2": 0})
    score(client, "phq9", datetime(2026, 11, 15, 10, tzinfo=TZ), answers=phq9(item9=0, rest=0))

    status = risk_status(client)

    assert status.flag_raised is True
    assert status.flagged_response == flagged


def test_the_overview_finds_the_same_flag_as_the_risk_query_skipping_voided_scores(
    cast: Cast,
) -> None:
    client = make_client(cast)
    kept = score(client, "phq9", datetime(2026, 11, 1, 10, tzinfo=TZ), answers=phq9(item9=1))
    later = score(client, "phq9", datetime(2026, 11, 8, 10, tzinfo=TZ), answers=phq9(item9=2))
    score(client, "phq9", datetime(2026, 11, 15, 10, tzinfo=TZ), answers=phq9(item9=0, rest=0))
    response_void(response=later, actor=cast.clinician, reason="Entered for the wrong client")

    from_rows = measures_overview(client).risk

    assert from_rows.flagged_response == risk_status(client).flagged_response == kept
    assert from_rows.flag_raised is True


def test_a_risk_assessment_after_the_flag_lowers_it_and_a_new_endorsement_raises_it_again(
    cast: Cast,
) -> None:
    client = make_client(cast)
    with time_machine.travel(datetime(2026, 11, 1, 16, tzinfo=timezone.get_current_timezone())):
        score(client, "phq9", timezone.now(), answers=phq9(item9=1))
    with time_machine.travel(datetime(2026, 11, 2, 16, tzinfo=timezone.get_current_timezone())):
        risk_assessment_record(client=client, actor=cast.clinician, answers={**NO, "1": 1})
    assert risk_status(client).flag_raised is False
    with time_machine.travel(datetime(2026, 11, 9, 16, tzinfo=timezone.get_current_timezone())):
        score(client, "phq9", timezone.now(), answers=phq9(item9=1))
    assert risk_status(client).flag_raised is True


def test_an_alert_is_acknowledged_with_a_note_of_the_action_taken(cast: Cast) -> None:
    client = make_client(cast)
    score(client, "phq9", datetime(2026, 11, 1, 10, tzinfo=TZ), answers=phq9(item9=1))
    alert = RiskAlert.objects.get()
    with pytest.raises(ValidationError) as error:
        alert_acknowledge(alert=alert, actor=cast.clinician, note="   ")
    assert error.value.message_dict == {"note": ["Describe the action you took."]}

    alert_acknowledge(alert=alert, actor=cast.clinician, note="Screened with C-SSRS; plan made")

    alert.refresh_from_db()
    assert (alert.is_open, alert.acknowledged_by, alert.action_note) == (
        False,
        cast.clinician,
        "Screened with C-SSRS; plan made",
    )
    assert risk_status(client).open_alerts == []
    assert AuditEvent.objects.filter(action="measures.alert_acknowledged").count() == 1
    with pytest.raises(ValidationError):
        alert_acknowledge(alert=alert, actor=cast.clinician, note="twice")


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        (NO, "none"),
        ({**NO, "1": 1}, "low"),
        ({**NO, "2": 1, "3": 1, "4": 0, "5": 0}, "moderate"),
        ({**NO, "6": 1, "6a": 0}, "moderate"),
        ({**NO, "2": 1, "3": 0, "4": 1, "5": 0}, "high"),
        ({**NO, "6": 1, "6a": 1}, "high"),
    ],
)
def test_the_screening_gives_the_level_of_the_datas_risk_rules(
    cast: Cast, answers: dict[str, float], level: str
) -> None:
    client = make_client(cast)
    assessment = risk_assessment_record(client=client, actor=cast.clinician, answers=answers)
    assert (assessment.screened_level, assessment.level, assessment.is_override) == (
        level,
        level,
        False,
    )
    assert assessment.screening.answers == answers


def test_items_the_screen_asks_must_be_answered(cast: Cast) -> None:
    client = make_client(cast)
    with pytest.raises(ValidationError) as error:
        risk_assessment_record(client=client, actor=cast.clinician, answers={**NO, "2": 1})
    assert error.value.message_dict == {
        "item_3": ["Answer this item."],
        "item_4": ["Answer this item."],
        "item_5": ["Answer this item."],
    }
    assert RiskAssessment.objects.count() == 0


def test_the_clinician_may_override_the_level_with_a_reason(cast: Cast) -> None:
    client = make_client(cast)
    answers = {**NO, "2": 1, "3": 0, "4": 1, "5": 0}
    with pytest.raises(ValidationError) as error:
        risk_assessment_record(
            client=client, actor=cast.clinician, answers=answers, level="imminent"
        )
    assert error.value.message_dict == {
        "override_reason": ["Give the reason for changing the screen's risk level."]
    }
    assert RiskAssessment.objects.count() == 0

    assessment = risk_assessment_record(
        client=client,
        actor=cast.clinician,
        answers=answers,
        level="imminent",
        override_reason="Has the means at home and a date in mind",
    )
    assert (assessment.screened_level, assessment.level, assessment.is_override) == (
        "high",
        "imminent",
        True,
    )
    assert AuditEvent.objects.get(action="measures.risk_assessed").extra == {
        "screened_level": "high",
        "level": "imminent",
        "override": True,
    }
    assert risk_status(client).assessment == assessment


def test_a_safety_plan_edit_is_a_new_version_and_the_old_one_stays(cast: Cast) -> None:
    client = make_client(cast)
    first = _plan(cast, client)
    second = _plan(cast, client, coping_strategies="Walk the dog; breathing; call Mara")

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.coping_strategies == "Walk the dog; shower; music"
    assert risk_status(client).safety_plan == second
    assert list(
        AuditEvent.objects.filter(action="measures.safety_plan_saved").values_list(
            "extra", flat=True
        )
    ) == [{"version": 1}, {"version": 2}]


def _edit_page(cast: Cast, client: object) -> tuple[int, HttpResponse]:
    url = reverse("measures:safety_plan_edit", args=[client.public_id])  # type: ignore[attr-defined]
    return second_load(cast.clinician, url)


def test_the_edit_page_starts_from_the_newest_version_and_reads_flat_in_versions(
    cast: Cast,
) -> None:
    client = make_client(cast)
    _plan(cast, client)
    with_one, _ = _edit_page(cast, client)
    for number in range(2, 26):
        _plan(cast, client, coping_strategies=f"Walk the dog, revision {number}")

    with_many, page = _edit_page(cast, client)

    assert with_one == with_many
    assert page.context["form"].initial["coping_strategies"] == "Walk the dog, revision 25"
    versions = page.context["plans"]
    assert [plan.version for plan in versions] == list(range(25, 0, -1))
    # The list shows number, date and author; no older version's text is read.
    assert all(set(SAFETY_PLAN_FIELDS) <= plan.get_deferred_fields() for plan in versions)
    assert page.content.decode().count(">Version ") == 25


def test_a_safety_plan_needs_every_one_of_the_six_parts(cast: Cast) -> None:
    client = make_client(cast)
    with pytest.raises(ValidationError) as error:
        _plan(cast, client, environment_safety="")
    assert error.value.message_dict == {"environment_safety": ["This field cannot be blank."]}
    assert SafetyPlan.objects.count() == 0
