"""The door to a person's own credentials: only the holder reaches them."""

from __future__ import annotations

import uuid

from django.http import Http404

from tend.accounts.models import User
from tend.licensure.models import License


def license_for_holder(user: User, license_id: uuid.UUID) -> License:
    """The licence if `user` holds it; anyone else gets 404 (a licence is not shared)."""
    license_ = License.objects.filter(public_id=license_id, holder=user).first()
    if license_ is None:
        raise Http404("No such licence.")
    return license_
