"""The doors to postings and applications."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tend.accounts.models import User
from tend.careers.models import JobApplication, JobPosting, SavedSearch
from tend.core.permissions import Capability
from tend.core.tenancy import Tenancy


def posting_for_employer(tenancy: Tenancy, posting_id: uuid.UUID) -> JobPosting:
    """A posting of the current organization for someone who may post jobs there.

    Another organization's posting is 404 here (its public page is elsewhere); a member
    without POST_JOBS gets 403.
    """
    posting = (
        JobPosting.objects.select_related("organization")
        .filter(public_id=posting_id, organization=tenancy.current)
        .first()
    )
    if posting is None:
        raise Http404("No such posting.")
    if not tenancy.can(Capability.POST_JOBS):
        raise PermissionDenied
    return posting


def application_for_employer(tenancy: Tenancy, application_id: uuid.UUID) -> JobApplication:
    application = (
        JobApplication.objects.select_related("posting__organization", "applicant")
        .filter(public_id=application_id, posting__organization=tenancy.current)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    if not tenancy.can(Capability.POST_JOBS):
        raise PermissionDenied
    return application


def application_for_applicant(user: User, application_id: uuid.UUID) -> JobApplication:
    """The applicant's own application; anyone else gets 404."""
    application = (
        JobApplication.objects.select_related("posting__organization")
        .filter(public_id=application_id, applicant=user)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def saved_search_for_owner(user: User, saved_search_id: uuid.UUID) -> SavedSearch:
    """The user's own saved search; anyone else's is 404."""
    saved = SavedSearch.objects.filter(public_id=saved_search_id, owner=user).first()
    if saved is None:
        raise Http404("No such saved search.")
    return saved
