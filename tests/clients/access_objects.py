"""Client objects for the access-matrix test: each is visible to every clinical role of
the cast (clinician's client, associate co-therapist, supervisor supervising the associate),
so roles holding a route's capability are served and everyone else is refused."""

from __future__ import annotations

from tend.clients.models import CaseGroup, CaseGroupMember
from tend.clients.services import case_group_create
from tests.clients.factories import make_open_episode, make_shared_client
from tests.conftest import Cast


def _client(cast: Cast) -> str:
    return str(make_shared_client(cast).public_id)


def _episode(cast: Cast) -> str:
    return str(make_open_episode(cast).public_id)


def _care_team_member(cast: Cast) -> str:
    client = make_shared_client(cast)
    return str(client.care_team.get().public_id)


def _group(cast: Cast) -> str:
    group = case_group_create(
        organization=cast.organization,
        actor=cast.clinician,
        kind=CaseGroup.Kind.COUPLE,
        name="Ashdown couple",
        first_member=make_shared_client(cast),
        role=CaseGroupMember.Role.PARTNER,
    )
    return str(group.public_id)


OBJECTS = {
    "client_id": (_client, True),
    "episode_id": (_episode, True),
    "member_id": (_care_team_member, True),
    "group_id": (_group, True),
}
