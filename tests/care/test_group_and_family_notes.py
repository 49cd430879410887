"""Group notes file each member's part on their own chart; couples and family notes show
the same content on each participant's chart and nothing of anyone's separate records."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tend.care.access import note_for_user
from tend.care.models import Appointment, ProgressNote
from tend.care.notes import (
    MemberEntry,
    ObjectiveEntry,
    note_save_draft,
    note_start,
    psychotherapy_note_release,
    psychotherapy_note_save,
)
from tend.care.selectors import final_notes_of, note_detail, objectives_for_session
from tend.care.services import appointment_book, appointment_status_set, therapy_group_create
from tend.clients.models import CareTeamMember, Client
from tend.core.tenancy import load_tenancy
from tend.plans.models import Objective
from tests.care.helpers import make_client, wall
from tests.conftest import Cast
from tests.plans.helpers import make_active_plan

AFTER = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def _group_session(cast: Cast) -> tuple[Appointment, list[Client]]:
    # Members are on the facilitator's team; one member's primary clinician is the associate.
    members = [
        make_client(cast.organization, cast.clinician, name, "Harbor")
        for name in ("Ada", "Ben", "Cy")
    ]
    Client.objects.filter(pk=members[0].pk).update(primary_clinician=cast.associate)
    CareTeamMember.objects.create(
        client=members[0],
        user=cast.clinician,
        role="group_facilitator",
        started_on=date(2026, 1, 1),
    )
    group = therapy_group_create(
        organization=cast.organization,
        actor=cast.front_desk,
        name="Skills group",
        facilitator=cast.clinician,
        members=members,
        joined_on=date(2026, 9, 1),
    )
    session = appointment_book(
        organization=cast.organization,
        actor=cast.front_desk,
        clinician=cast.clinician,
        kind="group",
        start_local=wall(2026, 11, 24, 10, 0),
        duration_minutes=90,
        therapy_group=group,
    )[0]
    appointment_status_set(appointment=session, actor=cast.clinician, status="kept")
    return session, members


@time_machine.travel(AFTER, tick=False)
def test_a_group_note_has_a_shared_part_and_a_part_per_member(cast: Cast) -> None:
    session, members = _group_session(cast)
    note = note_start(appointment=session, actor=cast.clinician)
    note_save_draft(
        note=note,
        actor=cast.clinician,
        note_format="birp",
        modality="dbt",
        content={"format": {"behavior": "Group reviewed diary cards."}},
        actual_start=session.starts_at,
        actual_end=session.ends_at,
        members=[
            MemberEntry(client, f"{client.legal_first_name} shared a chain analysis", "Progressing")
            for client in members
        ],
    )
    facilitator = note_for_user(load_tenancy(cast.clinician, None), cast.clinician, note.public_id)
    shown = note_detail(facilitator.note, facilitator.visible_client_ids)
    assert [section.participation for section in shown["member_sections"]] == [
        "Ada shared a chain analysis",
        "Ben shared a chain analysis",
        "Cy shared a chain analysis",
    ]
    assert note.cpt_suggested == "90853"


@time_machine.travel(AFTER, tick=False)
def test_a_members_own_clinician_sees_only_that_members_part(cast: Cast) -> None:
    session, members = _group_session(cast)
    note = note_start(appointment=session, actor=cast.clinician)
    note_save_draft(
        note=note,
        actor=cast.clinician,
        note_format="birp",
        modality="generic",
        content={"format": {"behavior": "Shared part"}},
        actual_start=session.starts_at,
        actual_end=session.ends_at,
        members=[MemberEntry(client, f"About {client.legal_first_name}", "") for client in members],
    )
    access = note_for_user(load_tenancy(cast.associate, None), cast.associate, note.public_id)
    shown = note_detail(access.note, access.visible_client_ids)
    assert [section.participation for section in shown["member_sections"]] == ["About Ada"]
    assert [client.legal_first_name for client in shown["participants"]] == ["Ada"]
    assert access.can_edit is False


@time_machine.travel(AFTER, tick=False)
def test_someone_with_no_member_on_their_caseload_cannot_read_the_group_note(cast: Cast) -> None:
    session, _ = _group_session(cast)
    note = note_start(appointment=session, actor=cast.clinician)
    with pytest.raises(PermissionDenied):
        note_for_user(load_tenancy(cast.supervisor, None), cast.supervisor, note.public_id)


@time_machine.travel(AFTER, tick=False)
def test_a_group_note_shows_and_releases_each_members_objectives_only_to_their_side(
    cast: Cast,
) -> None:
    session, members = _group_session(cast)
    ada, ben = members[0], members[1]
    objectives = {
        client.pk: Objective.objects.get(goal__problem__plan=make_active_plan(cast, client))
        for client in (ada, ben)
    }
    note = note_start(appointment=session, actor=cast.clinician)
    note_save_draft(
        note=note,
        actor=cast.clinician,
        note_format="birp",
        modality="generic",
        content={"format": {"behavior": "Shared part"}},
        actual_start=session.starts_at,
        actual_end=session.ends_at,
        objectives=[ObjectiveEntry(objective, "progressing") for objective in objectives.values()],
    )

    access = note_for_user(load_tenancy(cast.associate, None), cast.associate, note.public_id)
    shown = note_detail(access.note, access.visible_client_ids)
    facilitator = note_for_user(load_tenancy(cast.clinician, None), cast.clinician, note.public_id)
    ProgressNote.objects.filter(pk=note.pk).update(status=ProgressNote.Status.FINAL)
    [for_ben] = final_notes_of(ben, start=None, end=None)

    assert [row.objective for row in shown["objectives"]] == [objectives[ada.pk]]
    assert len(note_detail(facilitator.note, facilitator.visible_client_ids)["objectives"]) == 2
    assert [row.objective for row in for_ben.objectives.all()] == [objectives[ben.pk]]


@time_machine.travel(AFTER, tick=False)
def test_a_process_note_of_a_group_session_cannot_be_released(cast: Cast) -> None:
    session, _ = _group_session(cast)
    process = psychotherapy_note_save(appointment=session, actor=cast.clinician, body="Mine")
    with pytest.raises(ValidationError) as refused:
        psychotherapy_note_release(note=process, actor=cast.clinician, reason="Authorization")
    assert refused.value.message_dict == {
        "reason": ["A process note of a session with several clients cannot be released."]
    }
    process.refresh_from_db()
    assert process.released_at is None


@time_machine.travel(AFTER, tick=False)
def test_a_group_sessions_objectives_take_the_same_queries_for_any_number_of_members(
    cast: Cast,
) -> None:
    session, members = _group_session(cast)
    plans = [make_active_plan(cast, client) for client in members]
    with CaptureQueriesContext(connection) as queries:
        objectives = objectives_for_session(session)
    assert len(queries) == 3  # the participants, the plans in force, their objectives
    assert [objective.goal.problem.plan for objective in objectives] == plans
