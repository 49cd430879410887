from __future__ import annotations

from datetime import date

from django.db.models import Q

from tend.accounts.models import Organization, User
from tend.supervision.models import SupervisionRelationship


def active_supervisee_ids(supervisor: User, organization: Organization, on: date) -> list[int]:
    """Users the supervisor actively supervises in the organization on the given date."""
    return list(
        SupervisionRelationship.objects.filter(
            organization=organization, supervisor=supervisor, started_on__lte=on
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .values_list("supervisee_id", flat=True)
    )
