"""The pages that manage the care settings, the rooms and the therapy groups: who may use
them, what they record, and that bad input is refused with a message and nothing lost."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.care.models import (
    Appointment,
    AppointmentClient,
    CareSettings,
    Room,
    TherapyGroup,
    TherapyGroupMember,
)
from tend.care.services import appointment_book, room_create, therapy_group_create
from tend.clients.models import Client
from tests.care.helpers import make_client, wall
from tests.conftest import Cast, signed_in

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_an_admin_sets_the_late_entry_limit_and_feed_initials(cast: Cast) -> None:
    admin = signed_in(cast.admin)
    assert admin.get(reverse("care:settings")).context["form"].initial == {
        "late_entry_hours": 72,
        "calendar_feed_initials": False,
    }

    response = admin.post(
        reverse("care:settings"), {"late_entry_hours": "48", "calendar_feed_initials": "on"}
    )

    assert response.status_code == 302
    settings = CareSettings.objects.get(organization=cast.organization)
    assert (settings.late_entry_hours, settings.calendar_feed_initials) == (48, True)
    event = AuditEvent.objects.get(action="care.settings_updated")
    assert (event.actor_id, event.extra) == (
        cast.admin.public_id,
        {"late_entry_hours": 48, "calendar_feed_initials": True},
    )


def test_a_bad_late_entry_limit_is_refused_and_the_typed_value_kept(cast: Cast) -> None:
    owner = signed_in(cast.owner)
    for typed, message in (
        ("0", "Ensure this value is greater than or equal to 1."),
        ("2000", "Ensure this value is less than or equal to 1440."),
        ("three days", "Enter a whole number."),
    ):
        response = owner.post(reverse("care:settings"), {"late_entry_hours": typed})
        assert response.status_code == 400
        assert response.context["form"].errors == {"late_entry_hours": [message]}
        assert f'value="{typed}"' in response.content.decode()
    assert CareSettings.objects.count() == 0
    assert AuditEvent.objects.filter(action="care.settings_updated").count() == 0


def test_clinicians_and_front_desk_cannot_change_care_settings(cast: Cast) -> None:
    for user in (cast.clinician, cast.front_desk):
        response = signed_in(user).post(reverse("care:settings"), {"late_entry_hours": "24"})
        assert response.status_code == 403
    assert CareSettings.objects.count() == 0


def test_an_owner_adds_and_renames_rooms(cast: Cast) -> None:
    owner = signed_in(cast.owner)

    added = owner.post(reverse("care:room_create"), {"name": "  Cedar room "})
    room = Room.objects.get(organization=cast.organization)
    renamed = owner.post(
        reverse("care:room_rename", args=[room.public_id]), {f"{room.public_id}-name": "Birch"}
    )

    assert (added.status_code, renamed.status_code) == (302, 302)
    room.refresh_from_db()
    assert room.name == "Birch"
    assert list(
        AuditEvent.objects.filter(action__startswith="care.room_").values_list("action", "extra")
    ) == [("care.room_created", {}), ("care.room_renamed", {"name": ["Cedar room", "Birch"]})]
    page = owner.get(reverse("care:settings")).content.decode()
    assert 'value="Birch"' in page


def test_a_duplicate_or_empty_room_name_is_refused_and_nothing_changes(cast: Cast) -> None:
    oak = room_create(organization=cast.organization, actor=cast.owner, name="Oak")
    elm = room_create(organization=cast.organization, actor=cast.owner, name="Elm")
    admin = signed_in(cast.admin)

    duplicate = admin.post(reverse("care:room_create"), {"name": "oak"})
    empty = admin.post(reverse("care:room_create"), {"name": "   "})
    clash = admin.post(
        reverse("care:room_rename", args=[elm.public_id]), {f"{elm.public_id}-name": "OAK"}
    )

    assert (duplicate.status_code, empty.status_code, clash.status_code) == (400, 400, 400)
    assert duplicate.context["new_room_form"].errors == {
        "name": ["There is already a room with this name."]
    }
    assert empty.context["new_room_form"].errors == {"name": ["This field is required."]}
    clash_row = next(row for row in clash.context["rooms"] if row["room"].pk == elm.pk)
    assert clash_row["form"].errors == {"name": ["There is already a room with this name."]}
    # The typed name stays in the field that failed; the other room's field is untouched.
    assert 'value="OAK"' in clash.content.decode()
    assert sorted(Room.objects.values_list("name", flat=True)) == ["Elm", "Oak"]
    assert oak.name == Room.objects.get(pk=oak.pk).name
    assert AuditEvent.objects.filter(action="care.room_renamed").count() == 0


def test_rooms_of_another_organization_cannot_be_renamed(cast: Cast) -> None:
    theirs = room_create(organization=cast.other_organization, actor=cast.outsider, name="Far")
    response = signed_in(cast.owner).post(
        reverse("care:room_rename", args=[theirs.public_id]), {f"{theirs.public_id}-name": "X"}
    )
    assert response.status_code == 404
    assert Room.objects.get(pk=theirs.pk).name == "Far"


def _group_data(facilitator: object, *members: Client, **extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "DBT skills, Tuesdays",
        "facilitator": str(facilitator),
        "members": [str(client.public_id) for client in members],
        "joined_on": "2026-12-01",
    }
    data.update(extra)
    return data


def test_a_clinician_starts_a_group_with_clients_of_their_caseload(cast: Cast) -> None:
    ada = make_client(cast.organization, cast.clinician, "Ada", "Lane")
    ben = make_client(cast.organization, cast.clinician, "Ben", "Moss")

    response = signed_in(cast.clinician).post(
        reverse("care:therapy_group_new"), _group_data(cast.clinician.public_id, ada, ben)
    )

    group = TherapyGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("care:therapy_group", args=[group.public_id])
    assert group.facilitator == cast.clinician
    assert sorted(
        TherapyGroupMember.objects.filter(group=group).values_list("client_id", "joined_on")
    ) == [(ada.pk, date(2026, 12, 1)), (ben.pk, date(2026, 12, 1))]
    event = AuditEvent.objects.get(action="care.therapy_group_created")
    assert event.extra == {"members": [str(ada.public_id), str(ben.public_id)]}


def test_a_clinician_cannot_group_a_stranger_or_name_a_colleague_facilitator(
    cast: Cast,
) -> None:
    own = make_client(cast.organization, cast.clinician, "Ada", "Lane")
    stranger = make_client(cast.organization, cast.supervisor, "Lark", "Ember")
    clinician = signed_in(cast.clinician)

    off_caseload = clinician.post(
        reverse("care:therapy_group_new"), _group_data(cast.clinician.public_id, own, stranger)
    )
    colleague = clinician.post(
        reverse("care:therapy_group_new"), _group_data(cast.supervisor.public_id, own)
    )
    nameless = clinician.post(
        reverse("care:therapy_group_new"), _group_data(cast.clinician.public_id, own, name="")
    )

    assert (off_caseload.status_code, colleague.status_code, nameless.status_code) == (
        400,
        400,
        400,
    )
    assert list(off_caseload.context["form"].errors) == ["members"]
    assert list(colleague.context["form"].errors) == ["facilitator"]
    assert nameless.context["form"].errors == {"name": ["This field is required."]}
    # What was typed and chosen is still there to correct.
    assert 'value="DBT skills, Tuesdays"' in colleague.content.decode()
    assert "Lark Ember" not in off_caseload.content.decode()
    assert TherapyGroup.objects.count() == 0
    assert AuditEvent.objects.filter(action="care.therapy_group_created").count() == 0


def test_front_desk_starts_a_group_for_any_clinician(cast: Cast) -> None:
    member = make_client(cast.organization, cast.supervisor, "Lark", "Ember")
    response = signed_in(cast.front_desk).post(
        reverse("care:therapy_group_new"), _group_data(cast.clinician.public_id, member)
    )
    assert response.status_code == 302
    group = TherapyGroup.objects.get()
    assert (group.facilitator, list(group.members.values_list("client_id", flat=True))) == (
        cast.clinician,
        [member.pk],
    )


def _weekly_group(cast: Cast, *members: Client) -> tuple[TherapyGroup, list[Appointment]]:
    group = therapy_group_create(
        organization=cast.organization,
        actor=cast.clinician,
        name="Skills group",
        facilitator=cast.clinician,
        members=list(members),
        joined_on=date(2026, 11, 1),
    )
    sessions = appointment_book(
        organization=cast.organization,
        actor=cast.clinician,
        clinician=cast.clinician,
        kind="group",
        start_local=wall(2026, 11, 17, 18, 0),
        duration_minutes=90,
        therapy_group=group,
        rule="FREQ=WEEKLY;COUNT=5",
    )
    return group, sessions


def _members_of(sessions: list[Appointment]) -> list[list[str]]:
    return [
        sorted(
            AppointmentClient.objects.filter(appointment=session).values_list(
                "client__legal_first_name", flat=True
            )
        )
        for session in sessions
    ]


@time_machine.travel(NOW, tick=False)
def test_a_new_member_joins_the_sessions_booked_from_their_first_day(cast: Cast) -> None:
    ada = make_client(cast.organization, cast.clinician, "Ada", "Lane")
    cy = make_client(cast.organization, cast.clinician, "Cy", "Ng")
    group, sessions = _weekly_group(cast, ada)
    # Sessions on 17 and 24 Nov were held; 1, 8 and 15 Dec are booked.
    for held in sessions[:2]:
        Appointment.objects.filter(pk=held.pk).update(status=Appointment.Status.KEPT)

    response = signed_in(cast.clinician).post(
        reverse("care:therapy_group_member_add", args=[group.public_id]),
        {"client": str(cy.public_id), "joined_on": "2026-12-08"},
    )

    assert response.status_code == 302
    assert _members_of(sessions) == [["Ada"], ["Ada"], ["Ada"], ["Ada", "Cy"], ["Ada", "Cy"]]
    event = AuditEvent.objects.get(action="care.therapy_group_member_added")
    assert (event.client_id, event.extra) == (
        cy.public_id,
        {"joined_on": "2026-12-08", "sessions_joined": 2},
    )


@time_machine.travel(NOW, tick=False)
def test_a_member_who_leaves_is_taken_off_later_sessions_only(cast: Cast) -> None:
    ada = make_client(cast.organization, cast.clinician, "Ada", "Lane")
    ben = make_client(cast.organization, cast.clinician, "Ben", "Moss")
    group, sessions = _weekly_group(cast, ada, ben)
    Appointment.objects.filter(pk=sessions[0].pk).update(status=Appointment.Status.KEPT)

    response = signed_in(cast.clinician).post(
        reverse("care:therapy_group_member_leave", args=[group.public_id]),
        {"client": str(ben.public_id), "left_on": "2026-12-01"},
    )

    assert response.status_code == 302
    assert _members_of(sessions) == [
        ["Ada", "Ben"],
        ["Ada", "Ben"],
        ["Ada", "Ben"],
        ["Ada"],
        ["Ada"],
    ]
    assert TherapyGroupMember.objects.get(group=group, client=ben).left_on == date(2026, 12, 1)
    event = AuditEvent.objects.get(action="care.therapy_group_member_left")
    assert event.extra == {"left_on": "2026-12-01", "sessions_left": 2}

    # Rejoining later opens a new membership from the new day.
    signed_in(cast.clinician).post(
        reverse("care:therapy_group_member_add", args=[group.public_id]),
        {"client": str(ben.public_id), "joined_on": "2026-12-15"},
    )
    member = TherapyGroupMember.objects.get(group=group, client=ben)
    assert (member.joined_on, member.left_on) == (date(2026, 12, 15), None)
    assert _members_of(sessions)[-1] == ["Ada", "Ben"]


@time_machine.travel(NOW, tick=False)
def test_bad_membership_changes_are_refused_with_a_message_and_nothing_changes(
    cast: Cast,
) -> None:
    ada = make_client(cast.organization, cast.clinician, "Ada", "Lane")
    stranger = make_client(cast.organization, cast.supervisor, "Lark", "Ember")
    group, sessions = _weekly_group(cast, ada)
    clinician = signed_in(cast.clinician)
    add_url = reverse("care:therapy_group_member_add", args=[group.public_id])
    leave_url = reverse("care:therapy_group_member_leave", args=[group.public_id])
    before = (list(TherapyGroupMember.objects.values()), _members_of(sessions))

    again = clinician.post(add_url, {"client": str(ada.public_id), "joined_on": "2026-12-01"})
    off_caseload = clinician.post(
        add_url, {"client": str(stranger.public_id), "joined_on": "2026-12-01"}
    )
    no_date = clinician.post(add_url, {"client": str(ada.public_id), "joined_on": "soon"})
    too_early = clinician.post(leave_url, {"client": str(ada.public_id), "left_on": "2026-10-01"})
    not_member = clinician.post(
        leave_url, {"client": str(stranger.public_id), "left_on": "2026-12-01"}
    )

    for response in (again, off_caseload, no_date, too_early, not_member):
        assert response.status_code == 400
    assert again.context["add_form"].errors == {"client": ["This client is already in the group."]}
    assert list(off_caseload.context["add_form"].errors) == ["client"]
    assert no_date.context["add_form"].errors == {"joined_on": ["Enter a valid date."]}
    assert too_early.context["leave_form"].errors == {
        "left_on": ["The last day cannot be before they joined (Nov. 1, 2026)."]
    }
    assert list(not_member.context["leave_form"].errors) == ["client"]
    assert 'value="2026-10-01"' in too_early.content.decode()
    assert (list(TherapyGroupMember.objects.values()), _members_of(sessions)) == before
    assert AuditEvent.objects.filter(action__startswith="care.therapy_group_member").count() == 0


def test_only_the_facilitator_and_schedulers_see_or_change_the_members(cast: Cast) -> None:
    ada = make_client(cast.organization, cast.clinician, "Ada", "Lane")
    group, _ = _weekly_group(cast, ada)
    url = reverse("care:therapy_group", args=[group.public_id])

    colleague_page = signed_in(cast.supervisor).get(url)
    refused = signed_in(cast.supervisor).post(
        reverse("care:therapy_group_member_leave", args=[group.public_id]),
        {"client": str(ada.public_id), "left_on": "2026-12-01"},
    )
    front_desk_page = signed_in(cast.front_desk).get(url)

    assert colleague_page.status_code == 200
    assert "Ada Lane" not in colleague_page.content.decode()
    assert refused.status_code == 403
    assert TherapyGroupMember.objects.get(client=ada).left_on is None
    assert "Ada Lane" in front_desk_page.content.decode()
    # Only pages that show the members count as a read of client data.
    assert list(
        AuditEvent.objects.filter(action="care.therapy_group_viewed").values_list(
            "actor_id", flat=True
        )
    ) == [cast.front_desk.public_id]


def _group_page_queries(cast: Cast, group: TherapyGroup, members: int, start: int) -> int:
    for index in range(start, start + members):
        client = make_client(cast.organization, cast.clinician, f"Member{index:03d}", "Group")
        TherapyGroupMember.objects.create(group=group, client=client, joined_on=date(2026, 1, 5))
    browser = signed_in(cast.clinician)
    url = reverse("care:therapy_group", args=[group.public_id])
    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def _start_group(cast: Cast, name: str = "Skills group") -> TherapyGroup:
    return therapy_group_create(
        organization=cast.organization,
        actor=cast.clinician,
        name=name,
        facilitator=cast.clinician,
        members=[],
        joined_on=date(2026, 1, 5),
    )


def test_the_group_page_runs_the_same_queries_for_3_and_40_members(cast: Cast) -> None:
    group = _start_group(cast)
    few = _group_page_queries(cast, group, 3, 0)
    many = _group_page_queries(cast, group, 37, 3)
    assert few == many


def _group_list_queries(cast: Cast, groups: int, start: int) -> int:
    for index in range(start, start + groups):
        group = _start_group(cast, f"Group {index:02d}")
        client = make_client(cast.organization, cast.clinician, f"Member{index:03d}", "Group")
        TherapyGroupMember.objects.create(group=group, client=client, joined_on=date(2026, 1, 5))
    browser = signed_in(cast.front_desk)
    browser.get(reverse("care:therapy_groups"))
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(reverse("care:therapy_groups"))
    assert [group.current_members for group in page.context["groups"]] == [1] * (start + groups)
    return len(queries)


def test_the_group_list_runs_the_same_queries_for_2_and_20_groups(cast: Cast) -> None:
    assert _group_list_queries(cast, 2, 0) == _group_list_queries(cast, 18, 2)
