"""Types for requests that have passed Tend's middleware and decorators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from tend.accounts.models import Organization, User
    from tend.core.tenancy import Tenancy


class MemberRequest(HttpRequest):
    """A request from a signed-in member: `member_required` (or the API's
    `requires`) has set the current organization."""

    user: User
    tenancy: Tenancy
    organization: Organization
