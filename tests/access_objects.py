"""Objects of the organization under test, by the URL keyword that addresses them.

The access-matrix test fills every route's parameters from here. A route with a keyword
missing from this table fails that test, so new routes cannot slip past it: add a line.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse

from tend.accounts.services import access_token_create, invitation_create
from tests.conftest import Cast


def _invitation(cast: Cast) -> str:
    invitation, _ = invitation_create(
        organization=cast.organization,
        email="new.person@harbor.test",
        display_name="New Person",
        roles=["clinician"],
        actor=cast.owner,
        accept_url_builder=lambda raw: reverse("accounts:accept_invitation", args=[raw]),
    )
    return str(invitation.public_id)


def _token(cast: Cast) -> str:
    token, _ = access_token_create(
        user=cast.clinician,
        organization=cast.organization,
        name="script",
        can_write=False,
        days=30,
    )
    return str(token.public_id)


def _raw_invitation_token(cast: Cast) -> str:
    _, raw = invitation_create(
        organization=cast.organization,
        email="another.person@harbor.test",
        display_name="Another Person",
        roles=["front_desk"],
        actor=cast.owner,
        accept_url_builder=lambda raw: reverse("accounts:accept_invitation", args=[raw]),
    )
    return raw


Factory = tuple[Callable[[Cast], str], bool]

# keyword -> (factory, whether the object belongs to an organization: outsiders get 404)
OBJECTS: dict[str, Factory] = {
    "invitation_id": (_invitation, True),
    "user_id": (lambda cast: str(cast.clinician.public_id), True),
    "token_id": (_token, True),
    "token": (_raw_invitation_token, False),
}

# Each domain's tests may add their keywords in tests/<domain>/access_objects.py (OBJECTS).
for _module_path in sorted(Path(__file__).parent.glob("*/access_objects.py")):
    _domain = importlib.import_module(f"tests.{_module_path.parent.name}.access_objects")
    for _keyword, _factory in _domain.OBJECTS.items():
        if _keyword in OBJECTS:
            raise ValueError(f"URL keyword <{_keyword}> is defined twice in access objects")
        OBJECTS[_keyword] = _factory
