"""Every change to client records, episodes, care teams, case groups and emergency access."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tend.accounts.models import Membership, Organization, User
from tend.audit.services import audit_event_record
from tend.clients.access import ClientAccess
from tend.clients.models import (
    BreakGlassGrant,
    CareTeamMember,
    CaseGroup,
    CaseGroupMember,
    Client,
    Episode,
)
from tend.core.permissions import Role

# How long a break-the-glass grant lasts. A practice policy, not a legal number: long
# enough to handle a crisis call or a covering shift, short enough that access lapses
# on its own instead of lingering.
BREAK_GLASS_DURATION = timedelta(hours=4)

CLINICAL_ROLES = (Role.CLINICIAN, Role.ASSOCIATE, Role.SUPERVISOR)

# The demographic fields a client record carries (client_create / client_update).
DEMOGRAPHIC_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "pronouns",
    "gender_identity",
    "sex_assigned_at_birth",
    "phone",
    "email",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "preferred_language",
    "interpreter_needed",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "guardian_name",
    "guardian_relationship",
    "guardian_phone",
    "race_ethnicity",
)


class PossibleDuplicates(Exception):
    """Raised by client_create when the organization already has a similar client."""

    def __init__(self, clients: list[Client]) -> None:
        super().__init__(f"{len(clients)} possible duplicate client record(s)")
        self.clients = clients


def _folded(text: str) -> str:
    """Lower case without accents or spaces, so "José" and "jose " compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isalnum())


def _edit_distance(first: str, second: str) -> int:
    previous = list(range(len(second) + 1))
    for i, left in enumerate(first, start=1):
        current = [i]
        for j, right in enumerate(second, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            )
        previous = current
    return previous[-1]


def names_are_similar(
    *, first_name: str, last_name: str, other_first_names: Iterable[str], other_last_name: str
) -> bool:
    """Same last name, same first name (legal or preferred), or full names one or two
    keystrokes apart, all ignoring case and accents."""
    last, other_last = _folded(last_name), _folded(other_last_name)
    first = _folded(first_name)
    others = {_folded(name) for name in other_first_names if name.strip()}
    if last and last == other_last:
        return True
    if first and first in others:
        return True
    return any(_edit_distance(first + last, other + other_last) <= 2 for other in others)


def possible_duplicates(
    *, organization: Organization, first_name: str, last_name: str, date_of_birth: date
) -> list[Client]:
    """Clients of the organization born the same day with a similar name (one query)."""
    same_birthday = Client.objects.filter(
        organization=organization, date_of_birth=date_of_birth
    ).select_related("primary_clinician")
    return [
        client
        for client in same_birthday
        if names_are_similar(
            first_name=first_name,
            last_name=last_name,
            other_first_names=(client.legal_first_name, client.preferred_name),
            other_last_name=client.legal_last_name,
        )
    ]


def _check_primary_clinician(organization: Organization, clinician: User | None) -> None:
    if clinician is None:
        return
    is_clinical = Membership.objects.filter(
        organization=organization, user=clinician, role__in=CLINICAL_ROLES
    ).exists()
    if not is_clinical:
        raise ValidationError({"primary_clinician": "Choose a clinician of this organization."})


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def client_create(
    *,
    organization: Organization,
    actor: User,
    status: str = Client.Status.INQUIRY,
    primary_clinician: User | None = None,
    allow_duplicate: bool = False,
    **demographics: Any,
) -> Client:
    """Create a client record.

    Raises PossibleDuplicates when a client of the same organization shares the date of
    birth and has a similar name, unless `allow_duplicate` (the user confirmed it is a
    different person). Raises ValidationError for bad input.
    """
    unknown = set(demographics) - set(DEMOGRAPHIC_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    client = Client(
        organization=organization,
        status=status,
        primary_clinician=primary_clinician,
        **{field: _stripped(value) for field, value in demographics.items()},
    )
    client.full_clean()
    _check_primary_clinician(organization, primary_clinician)
    if not allow_duplicate:
        duplicates = possible_duplicates(
            organization=organization,
            first_name=client.preferred_name or client.legal_first_name,
            last_name=client.legal_last_name,
            date_of_birth=client.date_of_birth,
        ) or possible_duplicates(
            organization=organization,
            first_name=client.legal_first_name,
            last_name=client.legal_last_name,
            date_of_birth=client.date_of_birth,
        )
        if duplicates:
            raise PossibleDuplicates(duplicates)
    client.save()
    audit_event_record(
        action="clients.created",
        actor=actor,
        organization=organization,
        subject=client,
        client_id=client.public_id,
        extra={"status": client.status, "duplicate_override": allow_duplicate},
    )
    return client


@transaction.atomic
def client_update(
    *, client: Client, actor: User, primary_clinician: User | None, **demographics: Any
) -> Client:
    """Change a client's demographics and primary clinician; audits the changed field names."""
    unknown = set(demographics) - set(DEMOGRAPHIC_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    changed = []
    for field, value in demographics.items():
        value = _stripped(value)
        if getattr(client, field) != value:
            setattr(client, field, value)
            changed.append(field)
    if client.primary_clinician_id != (primary_clinician.pk if primary_clinician else None):
        client.primary_clinician = primary_clinician
        changed.append("primary_clinician")
    client.full_clean()
    _check_primary_clinician(client.organization, primary_clinician)
    client.save(update_fields=[*changed, "updated_at"])
    audit_event_record(
        action="clients.updated",
        actor=actor,
        organization=client.organization,
        subject=client,
        client_id=client.public_id,
        extra={"fields": sorted(changed)},
    )
    return client


@transaction.atomic
def client_status_set(*, client: Client, actor: User, status: str) -> Client:
    """Move a client to inquiry, waitlist, active or discharged.

    A client with an open episode of care cannot be marked discharged: discharge the
    episode (which records date, reason and summary) instead.
    """
    if status not in Client.Status.values:
        raise ValidationError({"status": "Choose one of the listed statuses."})
    if (
        status == Client.Status.DISCHARGED
        and client.episodes.filter(discharge_date__isnull=True).exists()
    ):
        raise ValidationError(
            {"status": "This client has an open episode of care; discharge the episode instead."}
        )
    previous = client.status
    client.status = status
    client.save(update_fields=["status", "updated_at"])
    audit_event_record(
        action="clients.status_changed",
        actor=actor,
        organization=client.organization,
        subject=client,
        client_id=client.public_id,
        extra={"status": status, "previous_status": previous},
    )
    return client


@transaction.atomic
def episode_open(
    *,
    client: Client,
    actor: User,
    admission_date: date,
    referral_source: str = "",
    presenting_concern: str = "",
) -> Episode:
    """Open an episode of care and make the client active.

    Refuses a second open episode (the database refuses it too, for concurrent requests).
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.episodes.filter(discharge_date__isnull=True).exists():
        raise ValidationError(
            {
                "admission_date": "This client already has an open episode of care; "
                "discharge it before opening another."
            }
        )
    episode = Episode(
        client=client,
        admission_date=admission_date,
        referral_source=referral_source.strip(),
        presenting_concern=presenting_concern.strip(),
    )
    episode.full_clean()
    if admission_date < client.date_of_birth:
        raise ValidationError({"admission_date": "Admission cannot be before the date of birth."})
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError as error:
        raise ValidationError(
            {"admission_date": "This client already has an open episode of care."}
        ) from error
    if client.status != Client.Status.ACTIVE:
        client.status = Client.Status.ACTIVE
        client.save(update_fields=["status", "updated_at"])
    audit_event_record(
        action="episodes.opened",
        actor=actor,
        organization=client.organization,
        subject=episode,
        client_id=client.public_id,
    )
    return episode


@transaction.atomic
def episode_discharge(
    *,
    episode: Episode,
    actor: User,
    discharge_date: date,
    discharge_reason: str,
    discharge_summary: str = "",
) -> Episode:
    """Close an episode of care (not before admission) and mark the client discharged."""
    if episode.discharge_date is not None:
        raise ValidationError({"discharge_date": "This episode is already closed."})
    errors: dict[str, str] = {}
    if discharge_date < episode.admission_date:
        errors["discharge_date"] = (
            "Discharge cannot be before admission "
            f"({episode.admission_date:%b} {episode.admission_date.day}, "
            f"{episode.admission_date.year})."
        )
    if discharge_date > timezone.localdate():
        errors["discharge_date"] = "Discharge cannot be in the future."
    if not discharge_reason.strip():
        errors["discharge_reason"] = "Give the reason for discharge."
    if errors:
        raise ValidationError(errors)
    episode.discharge_date = discharge_date
    episode.discharge_reason = discharge_reason.strip()
    episode.discharge_summary = discharge_summary.strip()
    episode.full_clean()
    episode.save(
        update_fields=["discharge_date", "discharge_reason", "discharge_summary", "updated_at"]
    )
    client = episode.client
    client.status = Client.Status.DISCHARGED
    client.save(update_fields=["status", "updated_at"])
    audit_event_record(
        action="episodes.discharged",
        actor=actor,
        organization=client.organization,
        subject=episode,
        client_id=client.public_id,
    )
    return episode


@transaction.atomic
def care_team_member_add(
    *, client: Client, actor: User, user: User, role: str, started_on: date
) -> CareTeamMember:
    """Put a clinician of the organization on the client's care team."""
    is_clinical = Membership.objects.filter(
        organization=client.organization, user=user, role__in=CLINICAL_ROLES
    ).exists()
    if not is_clinical:
        raise ValidationError({"user": "Choose a clinician of this organization."})
    already = CareTeamMember.objects.filter(client=client, user=user, ended_on__isnull=True)
    if already.exists():
        raise ValidationError({"user": f"{user} is already on the care team."})
    member = CareTeamMember(client=client, user=user, role=role, started_on=started_on)
    member.full_clean()
    member.save()
    audit_event_record(
        action="clients.care_team_added",
        actor=actor,
        organization=client.organization,
        subject=member,
        client_id=client.public_id,
        extra={"user_id": str(user.public_id), "role": role},
    )
    return member


@transaction.atomic
def care_team_member_end(*, member: CareTeamMember, actor: User, ended_on: date) -> CareTeamMember:
    """End a care-team membership (kept for the record, no longer granting access)."""
    if member.ended_on is not None:
        raise ValidationError({"ended_on": "This membership has already ended."})
    if ended_on < member.started_on:
        raise ValidationError({"ended_on": "The end cannot be before the start."})
    member.ended_on = ended_on
    member.save(update_fields=["ended_on", "updated_at"])
    audit_event_record(
        action="clients.care_team_ended",
        actor=actor,
        organization=member.client.organization,
        subject=member,
        client_id=member.client.public_id,
        extra={"user_id": str(member.user.public_id)},
    )
    return member


@transaction.atomic
def case_group_create(
    *,
    organization: Organization,
    actor: User,
    kind: str,
    name: str,
    first_member: Client,
    role: str,
) -> CaseGroup:
    """Create a couple or family group with its first member."""
    group = CaseGroup(organization=organization, kind=kind, name=name.strip())
    group.full_clean()
    if first_member.organization_id != organization.pk:
        raise ValidationError("The client belongs to another organization.")
    group.save()
    audit_event_record(
        action="clients.group_created",
        actor=actor,
        organization=organization,
        subject=group,
        extra={"kind": kind},
    )
    case_group_member_add(group=group, actor=actor, client=first_member, role=role)
    return group


@transaction.atomic
def case_group_member_add(
    *, group: CaseGroup, actor: User, client: Client, role: str
) -> CaseGroupMember:
    """Add a client to a couple or family group, once."""
    if client.organization_id != group.organization_id:
        raise ValidationError("The client belongs to another organization.")
    if CaseGroupMember.objects.filter(group=group, client=client).exists():
        raise ValidationError({"group": f"{client} is already in {group}."})
    member = CaseGroupMember(group=group, client=client, role=role)
    member.full_clean(validate_constraints=False)
    member.save()
    audit_event_record(
        action="clients.group_member_added",
        actor=actor,
        organization=group.organization,
        subject=group,
        client_id=client.public_id,
        extra={"role": role},
    )
    return member


@transaction.atomic
def case_group_member_remove(*, group: CaseGroup, actor: User, client: Client) -> None:
    """Take a client out of a group; the client's own chart is untouched."""
    deleted, _ = CaseGroupMember.objects.filter(group=group, client=client).delete()
    if not deleted:
        raise ValidationError({"group": f"{client} is not in {group}."})
    audit_event_record(
        action="clients.group_member_removed",
        actor=actor,
        organization=group.organization,
        subject=group,
        client_id=client.public_id,
    )


@transaction.atomic
def break_glass_grant(*, client: Client, user: User, reason: str) -> BreakGlassGrant:
    """Grant `user` emergency access to a chart outside their caseload.

    The reason is required and kept on the grant (not in the audit extras, which carry no
    narrative); access lapses after BREAK_GLASS_DURATION. The audit row is a distinct
    action flagged `break_glass`, so reviews can find every emergency access.
    """
    now = timezone.now()
    grant = BreakGlassGrant(
        client=client, user=user, reason=reason.strip(), expires_at=now + BREAK_GLASS_DURATION
    )
    if not grant.reason:
        raise ValidationError({"reason": "Say why you need emergency access to this chart."})
    grant.full_clean()
    grant.save()
    audit_event_record(
        action="clients.break_glass_granted",
        actor=user,
        organization=client.organization,
        subject=grant,
        client_id=client.public_id,
        extra={"break_glass": True, "expires_at": grant.expires_at.isoformat()},
    )
    return grant


def client_viewed_record(*, access: ClientAccess, actor: User, via: str = "chart") -> None:
    """Record a read of a client's record; emergency (break-the-glass) reads are flagged."""
    extra: dict[str, Any] = {"via": via}
    if access.via_break_glass:
        extra["break_glass"] = True
    audit_event_record(
        action="clients.viewed",
        actor=actor,
        organization=access.client.organization,
        subject=access.client,
        client_id=access.client.public_id,
        extra=extra,
    )
