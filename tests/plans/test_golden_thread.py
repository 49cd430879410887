"""Progress notes reference the objectives of the plan version in force on the session date."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tend.audit.models import AuditEvent
from tend.plans import selectors, services
from tend.plans.models import Objective
from tests.conftest import Cast
from tests.plans.helpers import activate, make_active_plan

CHICAGO = ZoneInfo("America/Chicago")


def test_objectives_come_from_the_version_in_force_on_the_session_date(cast: Cast) -> None:
    with time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=CHICAGO), tick=False):
        first = make_active_plan(cast, agreed_on=date(2026, 2, 2))
    original = Objective.objects.get(goal__problem__plan=first)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=CHICAGO), tick=False):
        draft = services.plan_revise(plan=first, actor=cast.clinician)
        activate(draft, cast.clinician, agreed_on=date(2026, 3, 2))
    copy = Objective.objects.get(goal__problem__plan=draft)
    client = first.client
    assert selectors.objectives_active_on(client, date(2026, 2, 1)) == []
    assert selectors.objectives_active_on(client, date(2026, 2, 2)) == [original]
    assert selectors.objectives_active_on(client, date(2026, 3, 1)) == [original]
    assert selectors.objectives_active_on(client, date(2026, 3, 2)) == [copy]
    assert copy.lineage_id == original.lineage_id


def test_progress_from_a_note_is_recorded_and_audited(cast: Cast) -> None:
    plan = make_active_plan(cast)
    objective = Objective.objects.get(goal__problem__plan=plan)
    note_id = uuid.uuid4()
    entry = services.objective_progress_record(
        objective=objective,
        actor=cast.clinician,
        recorded_on=date(2026, 2, 9),
        value=Decimal(12),
        note_public_id=note_id,
    )
    assert (entry.objective, entry.value, entry.recorded_by, entry.note_public_id) == (
        objective,
        Decimal(12),
        cast.clinician,
        note_id,
    )
    event = AuditEvent.objects.filter(action="plans.progress_recorded").get()
    assert event.extra == {"objective": str(objective.lineage_id), "entry": str(entry.public_id)}
    draft = services.plan_revise(plan=plan, actor=cast.clinician)
    with pytest.raises(ValidationError) as refused:
        services.objective_progress_record(
            objective=Objective.objects.get(goal__problem__plan=draft),
            actor=cast.clinician,
            recorded_on=date(2026, 2, 9),
            value=Decimal(12),
        )
    assert refused.value.messages == ["Progress is recorded against an active plan, not a draft."]
