"""Scores recorded through the services: item answers stored, every instrument scored by
the engine, critical items raising alerts, corrections by voiding."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, connection, transaction

from tend.audit.models import AuditEvent
from tend.measures.instruments import load_instruments
from tend.measures.models import MeasureResponse, RiskAlert
from tend.measures.services import response_record, response_void
from tend.supervision.services import supervision_relationship_start
from tests.conftest import Cast
from tests.measures.factories import make_client, phq9, score

TZ = ZoneInfo("America/Chicago")

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)


def _lowest_answers(instrument_id: str) -> dict[str, float]:
    instrument = load_instruments()[instrument_id]
    return {str(item.n): item.lowest for item in instrument.items}


def _highest_answers(instrument_id: str) -> dict[str, float]:
    instrument = load_instruments()[instrument_id]
    return {str(item.n): item.highest for item in instrument.items}


@pytest.mark.parametrize("instrument_id", sorted(load_instruments()))
def test_every_instrument_is_scored_end_to_end_and_its_item_answers_are_stored(
    cast: Cast, instrument_id: str
) -> None:
    client = make_client(cast, sex="female")
    instrument = load_instruments()[instrument_id]
    answers = _highest_answers(instrument_id)
    expected = instrument.score(
        {(int(n) if n.isdigit() else n): v for n, v in answers.items()}, sex="female"
    )

    response = score(client, instrument_id, NOW, answers=answers)

    stored = MeasureResponse.objects.get(pk=response.pk)
    assert stored.answers == answers
    assert stored.total == expected.total
    assert stored.band == (expected.band_label or "")
    assert stored.risk_level == (expected.risk_level or "")
    assert stored.subscales == dict(expected.subscale_totals)
    assert [flag["id"] for flag in stored.triggered_flags] == [
        flag.id for flag in expected.critical_flags + expected.alerts if flag.status == "triggered"
    ]


def test_a_phq9_is_stored_with_total_band_and_no_alert_when_item_9_is_zero(cast: Cast) -> None:
    client = make_client(cast)
    response = score(client, "phq9", NOW, answers=phq9(item9=0, rest=2))
    assert (response.total, response.band, response.has_triggered_critical) == (
        16,
        "Moderately severe",
        False,
    )
    assert response.answers["9"] == 0
    assert RiskAlert.objects.count() == 0


def test_phq9_item_9_raises_an_alert_for_the_primary_clinician(cast: Cast) -> None:
    client = make_client(cast)
    response = score(client, "phq9", NOW, answers=phq9(item9=1, rest=0))
    alert = RiskAlert.objects.get()
    assert (alert.recipient, alert.response, alert.flags, alert.is_open) == (
        cast.clinician,
        response,
        ["phq9_item9"],
        True,
    )
    assert list(
        AuditEvent.objects.filter(action__startswith="measures.").values_list("action", flat=True)
    ) == ["measures.response_recorded", "measures.alert_raised"]
    recorded = AuditEvent.objects.get(action="measures.response_recorded")
    assert recorded.client_id == client.public_id
    assert recorded.extra == {
        "instrument": "phq9",
        "mode": "in_session",
        "total_only": False,
        "critical_items": ["phq9_item9"],
    }


def test_an_associates_client_alerts_the_associate_and_their_supervisor(cast: Cast) -> None:
    supervision_relationship_start(
        organization=cast.organization,
        actor=cast.owner,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=datetime(2026, 1, 1, tzinfo=TZ).date(),
    )
    client = make_client(cast, clinician=cast.associate)
    score(client, "epds", NOW, answers={**_lowest_answers("epds"), "10": 1})
    assert sorted(RiskAlert.objects.values_list("recipient__email", flat=True)) == [
        "associate@harbor.test",
        "supervisor@harbor.test",
    ]


def test_an_unanswered_scored_item_is_refused_next_to_that_item(cast: Cast) -> None:
    client = make_client(cast)
    answers = phq9()
    del answers["9"]
    with pytest.raises(ValidationError) as error:
        score(client, "phq9", NOW, answers=answers)
    assert error.value.message_dict == {"item_9": ["Answer this item."]}
    assert MeasureResponse.objects.count() == 0


def test_an_answer_the_item_does_not_accept_is_refused(cast: Cast) -> None:
    client = make_client(cast)
    with pytest.raises(ValidationError) as error:
        score(client, "phq9", NOW, answers={**phq9(), "3": 7})
    assert error.value.message_dict == {
        "answers": ["PHQ-9 item 3: 7 is not one of its answers (0, 1, 2, 3)"]
    }
    assert MeasureResponse.objects.count() == 0


def test_a_licensed_instrument_can_be_recorded_as_a_total_only(cast: Cast) -> None:
    client = make_client(cast)
    response = score(client, "core10", NOW, total=12)
    assert (response.total, response.band, response.answers) == (12, "Mild", {})
    # Without answers the risk item is unknown, never assumed to be 0.
    assert response.critical_flags == [
        {"id": "core10_item6", "flag": "suicide_risk", "status": "not answered", "kind": "critical"}
    ]
    assert response.has_triggered_critical is False


def test_a_total_out_of_range_is_refused_on_the_total_field(cast: Cast) -> None:
    client = make_client(cast)
    with pytest.raises(ValidationError) as error:
        score(client, "k10", NOW, total=60)
    assert error.value.message_dict == {"total": ["K10: total 60 is outside 10-50"]}


def test_an_unknown_instrument_is_refused(cast: Cast) -> None:
    client = make_client(cast)
    with pytest.raises(ValidationError) as error:
        response_record(
            client=client, instrument_id="beck", mode="in_session", actor=cast.clinician, total=3
        )
    assert error.value.message_dict == {"instrument_id": ["Choose an instrument from the list."]}


@time_machine.travel(datetime(2026, 11, 21, 12, 0, tzinfo=TZ), tick=False)
def test_a_score_is_corrected_by_voiding_it_with_a_reason(cast: Cast) -> None:
    client = make_client(cast)
    response = score(client, "gad7", NOW, total=None, answers={str(n): 1 for n in range(1, 8)})
    response_void(response=response, actor=cast.clinician, reason="Entered for the wrong client")
    response.refresh_from_db()
    assert (response.is_void, response.void_reason, response.voided_by) == (
        True,
        "Entered for the wrong client",
        cast.clinician,
    )
    assert response.total == 7
    with pytest.raises(ValidationError):
        response_void(response=response, actor=cast.clinician, reason="again")
    assert AuditEvent.objects.filter(action="measures.response_voided").count() == 1


def test_voiding_needs_a_reason(cast: Cast) -> None:
    client = make_client(cast)
    response = score(client, "gad7", NOW, answers={str(n): 1 for n in range(1, 8)})
    with pytest.raises(ValidationError) as error:
        response_void(response=response, actor=cast.clinician, reason="  ")
    assert error.value.message_dict == {"reason": ["Say why this score is void."]}


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
)


@postgresql_only
def test_the_database_refuses_to_change_or_delete_a_recorded_score(cast: Cast) -> None:
    client = make_client(cast)
    response = score(client, "phq9", NOW, answers=phq9())
    with pytest.raises(ProgrammingError, match="Cannot"), transaction.atomic():
        MeasureResponse.objects.filter(pk=response.pk).update(total=3)
    with pytest.raises(ProgrammingError, match="Cannot"), transaction.atomic():
        MeasureResponse.objects.filter(pk=response.pk).delete()
    response_void(response=response, actor=cast.clinician, reason="Wrong client")
    assert MeasureResponse.objects.get(pk=response.pk).total == 8
