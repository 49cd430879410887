"""Client records, episodes, care teams and case groups, through the services."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tend.audit.models import AuditEvent
from tend.clients.models import CareTeamMember, CaseGroup, CaseGroupMember, Client, Episode
from tend.clients.services import (
    PossibleDuplicates,
    care_team_member_add,
    care_team_member_end,
    case_group_create,
    case_group_member_add,
    case_group_member_remove,
    client_create,
    client_status_set,
    client_update,
    episode_discharge,
    episode_open,
)
from tests.clients.factories import make_client
from tests.conftest import Cast

TODAY = "2026-11-27 10:00:00-06:00"


@time_machine.travel(TODAY, tick=False)
def test_creating_a_client_is_audited_with_ids_only(cast: Cast) -> None:
    client = make_client(cast, first="Rowan", last="Ellery", status=Client.Status.INQUIRY)
    event = AuditEvent.objects.get(action="clients.created")
    assert (event.actor_label, event.subject_type, event.subject_id, event.client_id) == (
        "desk@harbor.test",
        "clients.client",
        str(client.public_id),
        client.public_id,
    )
    assert event.organization_id == cast.organization.public_id
    assert event.extra == {"status": "inquiry", "duplicate_override": False}


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Rowan", "Ellery"),  # the same person typed again
        ("rowan", "ELLERY"),  # case
        ("Rowän", "Ellery"),  # accents
        ("Rowen", "Elery"),  # two keystrokes apart
        ("Robin", "Ellery"),  # same last name
        ("Rowan", "Ellery-Diaz"),  # same first name
    ],
)
def test_a_similar_name_with_the_same_birthday_is_a_possible_duplicate(
    cast: Cast, first: str, last: str
) -> None:
    existing = make_client(cast, first="Rowan", last="Ellery", born=date(1990, 4, 12))
    with pytest.raises(PossibleDuplicates) as warning:
        make_client(cast, first=first, last=last, born=date(1990, 4, 12))
    assert warning.value.clients == [existing]
    assert Client.objects.count() == 1
    assert AuditEvent.objects.filter(action="clients.created").count() == 1


def test_a_preferred_name_matches_too(cast: Cast) -> None:
    existing = make_client(cast, first="Alexandra", last="Moss", preferred_name="Sasha")
    with pytest.raises(PossibleDuplicates) as warning:
        make_client(cast, first="Sasha", last="Morse", born=date(1990, 4, 12))
    assert warning.value.clients == [existing]


def test_different_names_or_birthdays_or_organizations_are_not_duplicates(cast: Cast) -> None:
    make_client(cast, first="Rowan", last="Ellery", born=date(1990, 4, 12))
    make_client(cast, first="Priya", last="Natarajan", born=date(1990, 4, 12))
    make_client(cast, first="Rowan", last="Ellery", born=date(1990, 4, 13))
    client_create(
        organization=cast.other_organization,
        actor=cast.outsider,
        legal_first_name="Rowan",
        legal_last_name="Ellery",
        date_of_birth=date(1990, 4, 12),
    )
    assert Client.objects.count() == 4


def test_the_user_can_override_the_duplicate_warning_and_it_is_recorded(cast: Cast) -> None:
    make_client(cast, first="Rowan", last="Ellery", born=date(1990, 4, 12))
    second = make_client(
        cast, first="Rowan", last="Ellery", born=date(1990, 4, 12), allow_duplicate=True
    )
    assert Client.objects.filter(legal_last_name="Ellery").count() == 2
    event = AuditEvent.objects.filter(action="clients.created").latest("id")
    assert event.subject_id == str(second.public_id)
    assert event.extra == {"status": "active", "duplicate_override": True}


@time_machine.travel(TODAY, tick=False)
def test_a_date_of_birth_in_the_future_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        make_client(cast, born=date(2026, 11, 28))
    assert error.value.message_dict == {"date_of_birth": ["This date is in the future."]}


def test_an_overlong_name_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        make_client(cast, last="L" * 101)
    assert error.value.message_dict == {
        "legal_last_name": ["Ensure this value has at most 100 characters (it has 101)."]
    }


def test_the_primary_clinician_must_be_a_clinician_of_the_organization(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        make_client(cast, clinician=cast.front_desk)
    assert error.value.message_dict == {
        "primary_clinician": ["Choose a clinician of this organization."]
    }
    with pytest.raises(ValidationError):
        make_client(cast, clinician=cast.outsider)
    assert Client.objects.count() == 0


def test_updating_demographics_audits_the_changed_field_names(cast: Cast) -> None:
    client = make_client(cast)
    client_update(
        client=client,
        actor=cast.front_desk,
        primary_clinician=cast.associate,
        legal_first_name="Rowan",
        phone=" 512-555-0100 ",
        pronouns="they/them",
    )
    client.refresh_from_db()
    assert (client.phone, client.pronouns, client.primary_clinician) == (
        "512-555-0100",
        "they/them",
        cast.associate,
    )
    event = AuditEvent.objects.get(action="clients.updated")
    assert event.extra == {"fields": ["phone", "primary_clinician", "pronouns"]}
    assert event.client_id == client.public_id


@time_machine.travel(TODAY, tick=False)
def test_opening_an_episode_activates_the_client_and_is_audited(cast: Cast) -> None:
    client = make_client(cast, status=Client.Status.WAITLIST)
    episode = episode_open(
        client=client,
        actor=cast.clinician,
        admission_date=date(2026, 11, 2),
        referral_source=" School counselor ",
        presenting_concern="Worry about exams.",
    )
    client.refresh_from_db()
    assert client.status == "active"
    assert (episode.referral_source, episode.is_open) == ("School counselor", True)
    event = AuditEvent.objects.get(action="episodes.opened")
    assert (event.subject_type, event.subject_id, event.client_id, event.extra) == (
        "clients.episode",
        str(episode.public_id),
        client.public_id,
        {},
    )


@time_machine.travel(TODAY, tick=False)
def test_a_second_open_episode_is_refused_with_a_clear_message(cast: Cast) -> None:
    client = make_client(cast)
    episode_open(client=client, actor=cast.clinician, admission_date=date(2026, 10, 1))
    with pytest.raises(ValidationError) as error:
        episode_open(client=client, actor=cast.clinician, admission_date=date(2026, 11, 1))
    assert error.value.message_dict == {
        "admission_date": [
            "This client already has an open episode of care; discharge it before opening another."
        ]
    }
    assert Episode.objects.filter(client=client).count() == 1
    assert AuditEvent.objects.filter(action="episodes.opened").count() == 1


def test_the_database_refuses_a_second_open_episode_too(cast: Cast) -> None:
    client = make_client(cast)
    Episode.objects.create(client=client, admission_date=date(2026, 1, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(client=client, admission_date=date(2026, 2, 5))
    assert Episode.objects.filter(client=client).count() == 1


def test_the_database_refuses_a_discharge_before_admission(cast: Cast) -> None:
    client = make_client(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(
            client=client, admission_date=date(2026, 3, 5), discharge_date=date(2026, 3, 4)
        )


@time_machine.travel(TODAY, tick=False)
def test_discharge_cannot_come_before_admission_or_in_the_future(cast: Cast) -> None:
    client = make_client(cast)
    episode = episode_open(client=client, actor=cast.clinician, admission_date=date(2026, 3, 5))
    with pytest.raises(ValidationError) as early:
        episode_discharge(
            episode=episode,
            actor=cast.clinician,
            discharge_date=date(2026, 3, 4),
            discharge_reason="Goals met",
        )
    assert early.value.message_dict == {
        "discharge_date": ["Discharge cannot be before admission (Mar 5, 2026)."]
    }
    with pytest.raises(ValidationError) as late:
        episode_discharge(
            episode=episode,
            actor=cast.clinician,
            discharge_date=date(2026, 11, 28),
            discharge_reason="",
        )
    assert late.value.message_dict == {
        "discharge_date": ["Discharge cannot be in the future."],
        "discharge_reason": ["Give the reason for discharge."],
    }
    episode.refresh_from_db()
    assert episode.discharge_date is None


@time_machine.travel(TODAY, tick=False)
def test_discharging_closes_the_episode_and_discharges_the_client(cast: Cast) -> None:
    client = make_client(cast)
    episode = episode_open(client=client, actor=cast.clinician, admission_date=date(2026, 3, 5))
    episode_discharge(
        episode=episode,
        actor=cast.clinician,
        discharge_date=date(2026, 3, 5),
        discharge_reason="Goals met",
        discharge_summary="Skills in place.",
    )
    episode.refresh_from_db()
    client.refresh_from_db()
    assert (episode.discharge_date, episode.discharge_reason, client.status) == (
        date(2026, 3, 5),
        "Goals met",
        "discharged",
    )
    event = AuditEvent.objects.get(action="episodes.discharged")
    assert (event.subject_id, event.extra) == (str(episode.public_id), {})
    # A new episode may start after the discharge.
    episode_open(client=client, actor=cast.clinician, admission_date=date(2026, 9, 1))
    assert Episode.objects.filter(client=client, discharge_date__isnull=True).count() == 1


def test_a_client_with_an_open_episode_cannot_simply_be_marked_discharged(cast: Cast) -> None:
    client = make_client(cast)
    episode_open(client=client, actor=cast.clinician, admission_date=date(2026, 3, 5))
    with pytest.raises(ValidationError) as error:
        client_status_set(client=client, actor=cast.front_desk, status="discharged")
    assert error.value.message_dict == {
        "status": ["This client has an open episode of care; discharge the episode instead."]
    }
    client_status_set(client=client, actor=cast.front_desk, status="waitlist")
    event = AuditEvent.objects.get(action="clients.status_changed")
    assert event.extra == {"status": "waitlist", "previous_status": "active"}


def test_care_team_members_are_added_once_and_ended(cast: Cast) -> None:
    client = make_client(cast)
    member = care_team_member_add(
        client=client,
        actor=cast.clinician,
        user=cast.associate,
        role=CareTeamMember.Role.CO_THERAPIST,
        started_on=date(2026, 2, 1),
    )
    with pytest.raises(ValidationError) as twice:
        care_team_member_add(
            client=client,
            actor=cast.clinician,
            user=cast.associate,
            role=CareTeamMember.Role.COVERING,
            started_on=date(2026, 2, 1),
        )
    assert twice.value.message_dict == {"user": ["Asa Associate is already on the care team."]}
    with pytest.raises(ValidationError) as not_clinical:
        care_team_member_add(
            client=client,
            actor=cast.clinician,
            user=cast.biller,
            role=CareTeamMember.Role.OTHER,
            started_on=date(2026, 2, 1),
        )
    assert not_clinical.value.message_dict == {"user": ["Choose a clinician of this organization."]}
    with pytest.raises(ValidationError) as early:
        care_team_member_end(member=member, actor=cast.clinician, ended_on=date(2026, 1, 31))
    assert early.value.message_dict == {"ended_on": ["The end cannot be before the start."]}
    care_team_member_end(member=member, actor=cast.clinician, ended_on=date(2026, 5, 1))
    added, ended = AuditEvent.objects.filter(action__startswith="clients.care_team").order_by("id")
    assert (added.action, added.extra) == (
        "clients.care_team_added",
        {"user_id": str(cast.associate.public_id), "role": "co_therapist"},
    )
    assert (ended.action, ended.extra) == (
        "clients.care_team_ended",
        {"user_id": str(cast.associate.public_id)},
    )


def test_a_couple_group_links_two_clients_who_keep_their_own_charts(cast: Cast) -> None:
    first = make_client(cast, first="Dana", last="Reyes")
    second = make_client(cast, first="Kim", last="Oduya", born=date(1988, 1, 1))
    group = case_group_create(
        organization=cast.organization,
        actor=cast.clinician,
        kind=CaseGroup.Kind.COUPLE,
        name=" Reyes-Oduya couple ",
        first_member=first,
        role=CaseGroupMember.Role.PARTNER,
    )
    case_group_member_add(
        group=group, actor=cast.clinician, client=second, role=CaseGroupMember.Role.PARTNER
    )
    with pytest.raises(ValidationError) as twice:
        case_group_member_add(
            group=group, actor=cast.clinician, client=second, role=CaseGroupMember.Role.PARTNER
        )
    assert twice.value.message_dict == {"group": ["Kim Oduya is already in Reyes-Oduya couple."]}
    assert sorted(group.members.values_list("client__legal_last_name", "role")) == [
        ("Oduya", "partner"),
        ("Reyes", "partner"),
    ]
    case_group_member_remove(group=group, actor=cast.clinician, client=second)
    assert list(group.members.values_list("client_id", flat=True)) == [first.pk]
    assert list(
        AuditEvent.objects.filter(action__startswith="clients.group").values_list(
            "action", "client_id"
        )
    ) == [
        ("clients.group_created", None),
        ("clients.group_member_added", first.public_id),
        ("clients.group_member_added", second.public_id),
        ("clients.group_member_removed", second.public_id),
    ]


def test_a_client_of_another_organization_cannot_join_a_group(cast: Cast) -> None:
    group = case_group_create(
        organization=cast.organization,
        actor=cast.clinician,
        kind=CaseGroup.Kind.FAMILY,
        name="Reyes family",
        first_member=make_client(cast),
        role=CaseGroupMember.Role.PARENT,
    )
    stranger = client_create(
        organization=cast.other_organization,
        actor=cast.outsider,
        legal_first_name="Eli",
        legal_last_name="Stone",
        date_of_birth=date(2015, 6, 1),
    )
    with pytest.raises(ValidationError):
        case_group_member_add(
            group=group, actor=cast.clinician, client=stranger, role=CaseGroupMember.Role.CHILD
        )
    assert group.members.count() == 1
