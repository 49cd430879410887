"""Reads of supervision relationships and sessions, scoped to the people in them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from tend.accounts.models import Organization, User
from tend.clients.models import Client
from tend.licensure.selectors import licenses_for
from tend.supervision.models import SupervisionRelationship, SupervisionSession


def _active_on(on: date) -> Q:
    return Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))


def active_supervisee_ids(supervisor: User, organization: Organization, on: date) -> list[int]:
    """Users the supervisor actively supervises in the organization on the given date."""
    return list(
        SupervisionRelationship.objects.filter(organization=organization, supervisor=supervisor)
        .filter(_active_on(on))
        .values_list("supervisee_id", flat=True)
    )


def supervises(supervisor: User, supervisee: User, organization: Organization) -> bool:
    """Whether `supervisor` has ever supervised `supervisee` here (ended relationships
    count: a former supervisor still reads the hours they verified)."""
    return SupervisionRelationship.objects.filter(
        organization=organization, supervisor=supervisor, supervisee=supervisee
    ).exists()


def supervised_during(
    supervisor: User, supervisee: User, organization: Organization, start: date, end: date
) -> bool:
    """Whether a relationship of the two here overlaps the days from `start` to `end`."""
    return (
        SupervisionRelationship.objects.filter(
            organization=organization,
            supervisor=supervisor,
            supervisee=supervisee,
            started_on__lte=end,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .exists()
    )


def relationships_of(user: User, organization: Organization) -> QuerySet[SupervisionRelationship]:
    """Relationships in which `user` is the supervisor or the supervisee."""
    return (
        SupervisionRelationship.objects.filter(organization=organization)
        .filter(Q(supervisor=user) | Q(supervisee=user))
        .select_related("supervisor", "supervisee")
        .order_by("ended_on", "-started_on")
    )


def plannable_relationships_of(
    user: User, organization: Organization
) -> QuerySet[SupervisionRelationship]:
    """Current in-house relationships of `user` (either side), in which sessions are planned."""
    return relationships_of(user, organization).filter(
        ended_on__isnull=True, supervisor__isnull=False
    )


def organization_relationships(organization: Organization) -> QuerySet[SupervisionRelationship]:
    return (
        SupervisionRelationship.objects.filter(organization=organization)
        .select_related("supervisor", "supervisee")
        .order_by("ended_on", "supervisee__display_name", "-started_on")
    )


def sessions_of(relationship_ids: list[int]) -> QuerySet[SupervisionSession]:
    """Held and cancelled sessions of the relationships, newest first (not planned ones)."""
    return (
        SupervisionSession.objects.filter(relationship_id__in=relationship_ids)
        .exclude(status=SupervisionSession.Status.PLANNED)
        .select_related("relationship__supervisor", "relationship__supervisee")
        .prefetch_related("cases")
    )


def planned_sessions_of(relationship_ids: list[int]) -> QuerySet[SupervisionSession]:
    """Planned sessions of the relationships, soonest first; those whose start has passed
    are still waiting to be recorded (or cancelled)."""
    return (
        SupervisionSession.objects.filter(
            relationship_id__in=relationship_ids, status=SupervisionSession.Status.PLANNED
        )
        .select_related("relationship__supervisor", "relationship__supervisee")
        .order_by("starts_at")
    )


def next_supervision_of(
    supervisee: User, organization: Organization, *, now: datetime
) -> SupervisionSession | None:
    """The supervisee's next planned supervision session here, if any."""
    return (
        SupervisionSession.objects.filter(
            organization=organization,
            relationship__supervisee=supervisee,
            status=SupervisionSession.Status.PLANNED,
            starts_at__gte=now,
        )
        .select_related("relationship__supervisor")
        .order_by("starts_at")
        .first()
    )


def upcoming_for_supervisor(
    supervisor: User, organization: Organization, *, now: datetime, limit: int
) -> list[SupervisionSession]:
    """The supervisor's next planned sessions, with those not yet recorded from the past
    fortnight first (older ones stay on the supervision page)."""
    return list(
        SupervisionSession.objects.filter(
            organization=organization,
            relationship__supervisor=supervisor,
            status=SupervisionSession.Status.PLANNED,
            starts_at__gte=now - timedelta(days=14),
        )
        .select_related("relationship__supervisee")
        .order_by("starts_at")[:limit]
    )


def cases_visible_to(user: User, organization: Organization) -> QuerySet[Client]:
    """Clients whose names this user may see among cases discussed: their own caseload
    and their active supervisees' (never the whole organization)."""
    # Imported here: the clients app's access door itself reads supervision relationships.
    from tend.clients.access import caseload_filter

    return (
        Client.objects.filter(organization=organization)
        .filter(caseload_filter(user, organization))
        .distinct()
        .order_by("legal_last_name", "legal_first_name")
    )


def path_of(
    associate: User, organization: Organization | None = None
) -> SupervisionRelationship | None:
    """The associate's current relationship that names a licence path, if any (only one of
    `organization`'s when given)."""
    relationships = SupervisionRelationship.objects.filter(
        supervisee=associate, ended_on__isnull=True
    )
    if organization is not None:
        relationships = relationships.filter(organization=organization)
    return relationships.exclude(path_state="").order_by("started_on").first()


def supervisor_warnings(relationship: SupervisionRelationship, *, on: date) -> list[str]:
    """Why the supervisor may not qualify on `on`, from their recorded licences.

    Checks an active licence in force on that date, and one in the path's state. Whether
    the state also requires a supervisor credential is stated in the requirement data only
    as text (e.g. "by an LPCC-S"); pages show that text beside these warnings.
    """
    if relationship.supervisor is None:
        return []
    in_force = [
        license_
        for license_ in licenses_for(relationship.supervisor)
        if license_.status == license_.Status.ACTIVE and license_.is_in_force_on(on)
    ]
    name = relationship.supervisor_name
    if not in_force:
        return [f"{name} has no active licence recorded in Tend on {on:%b %-d, %Y}."]
    warnings = []
    state = relationship.path_state
    if state and not any(license_.state == state for license_ in in_force):
        warnings.append(f"{name} has no active {state} licence recorded on {on:%b %-d, %Y}.")
    return warnings


def members_with_role(organization: Organization, *roles: str) -> QuerySet[User]:
    """People holding any of `roles` in the organization, by name (for choice lists)."""
    return (
        User.objects.filter(memberships__organization=organization, memberships__role__in=roles)
        .distinct()
        .order_by("display_name")
    )


def signed_sessions_of(
    organization: Organization, supervisee: User
) -> QuerySet[SupervisionSession]:
    """The supervisee's sessions here signed by both people (for the hours ledger)."""
    return SupervisionSession.objects.filter(
        organization=organization, relationship__supervisee=supervisee, locked=True
    ).select_related("relationship", "organization")
