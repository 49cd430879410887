"""The doors to credentials and hours: a licence or a ledger entry reaches only its
holder; a supervisee's ledger reaches their supervisors."""

from __future__ import annotations

import uuid

from django.http import Http404

from tend.accounts.models import User
from tend.core.tenancy import Tenancy
from tend.licensure.models import HoursEntry, License


def license_for_holder(user: User, license_id: uuid.UUID) -> License:
    """The licence if `user` holds it; anyone else gets 404 (a licence is not shared)."""
    license_ = License.objects.filter(public_id=license_id, holder=user).first()
    if license_ is None:
        raise Http404("No such licence.")
    return license_


def supervisee_for_supervisor(tenancy: Tenancy, user: User, supervisee_id: uuid.UUID) -> User:
    """A person `user` supervises (or supervised) in the current organization; 404 else."""
    from tend.supervision.selectors import supervises

    supervisee = User.objects.filter(public_id=supervisee_id).first()
    if (
        supervisee is None
        or tenancy.current is None
        or not supervises(user, supervisee, tenancy.current)
    ):
        raise Http404("No such supervisee.")
    return supervisee


def own_hours_entry(user: User, entry_id: uuid.UUID) -> HoursEntry:
    """One of the user's own ledger entries; anyone else's is 404."""
    entry = HoursEntry.objects.filter(public_id=entry_id, associate=user).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry
