"""Every change to people, organizations, invitations and tokens goes through here."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tend.accounts.models import (
    ClinicianProfile,
    Degree,
    Invitation,
    Membership,
    Organization,
    PersonalAccessToken,
    User,
)
from tend.audit.services import audit_event_record
from tend.core.permissions import Role

INVITATION_LIFETIME = timedelta(days=7)
TOKEN_PREFIX = "tend_"  # noqa: S105  (a public marker, not a secret)


def _digest(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough: there is nothing to
    # brute-force, unlike a password.
    return hashlib.sha256(raw.encode()).hexdigest()


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted({Role(role).value for role in roles})
    if not cleaned:
        raise ValidationError({"roles": "Choose at least one role."})
    return cleaned


def user_create(*, email: str, display_name: str, password: str | None) -> User:
    """Create a user; the password is checked against the strength validators."""
    user = User(email=email.strip().lower(), display_name=display_name.strip())
    if password is not None:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def organization_create(
    *, name: str, kind: str, state: str, timezone_name: str, owner: User
) -> Organization:
    """Create an organization with `owner` holding the owner role."""
    organization = Organization(name=name, kind=kind, state=state, timezone=timezone_name)
    organization.full_clean()
    organization.save()
    Membership.objects.create(user=owner, organization=organization, role=Role.OWNER)
    audit_event_record(
        action="accounts.organization_created",
        actor=owner,
        organization=organization,
        subject=organization,
        extra={"kind": kind, "state": state},
    )
    return organization


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    actor: User,
    name: str,
    kind: str,
    state: str,
    timezone_name: str,
) -> Organization:
    changed = [
        field
        for field, value in (
            ("name", name),
            ("kind", kind),
            ("state", state),
            ("timezone", timezone_name),
        )
        if getattr(organization, field) != value
    ]
    organization.name, organization.kind, organization.state = name, kind, state
    organization.timezone = timezone_name
    organization.full_clean()
    organization.save(update_fields=[*changed, "updated_at"] if changed else ["updated_at"])
    audit_event_record(
        action="accounts.organization_updated",
        actor=actor,
        organization=organization,
        subject=organization,
        extra={"fields": changed},
    )
    return organization


@transaction.atomic
def membership_roles_set(
    *, organization: Organization, user: User, roles: Iterable[str], actor: User | None
) -> list[str]:
    """Make `roles` exactly the roles `user` holds in `organization`.

    Refuses to remove the last owner, so an organization can never lock itself out.
    """
    wanted = _clean_roles(roles)
    current = set(
        Membership.objects.filter(organization=organization, user=user).values_list(
            "role", flat=True
        )
    )
    if Role.OWNER in current and Role.OWNER not in wanted:
        owners = Membership.objects.filter(organization=organization, role=Role.OWNER).count()
        if owners <= 1:
            raise ValidationError({"roles": "An organization needs at least one owner."})
    Membership.objects.filter(organization=organization, user=user).exclude(
        role__in=wanted
    ).delete()
    Membership.objects.bulk_create(
        [
            Membership(organization=organization, user=user, role=role)
            for role in wanted
            if role not in current
        ]
    )
    audit_event_record(
        action="accounts.member_added" if not current else "accounts.member_roles_changed",
        actor=actor,
        organization=organization,
        subject=user,
        extra={"roles": wanted, "previous_roles": sorted(current)},
    )
    return wanted


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    display_name: str,
    roles: Iterable[str],
    actor: User,
    accept_url_builder: Any,
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the raw token (emailed, not kept).

    `accept_url_builder(raw_token)` gives the absolute link to put in the email.
    """
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email.strip().lower(),
        display_name=display_name.strip(),
        roles=_clean_roles(roles),
        token_hash=_digest(raw),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    context = {
        "invitation": invitation,
        "accept_url": accept_url_builder(raw),
        "inviter": actor,
        "role_labels": [Role(role).label for role in invitation.roles],
    }
    send_mail(
        subject=f"You're invited to {organization.name} on Tend",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    audit_event_record(
        action="accounts.invitation_sent",
        actor=actor,
        organization=organization,
        subject=invitation,
        extra={"roles": invitation.roles},
    )
    return invitation, raw


def invitation_for_token(raw: str) -> Invitation | None:
    """The open invitation a raw token belongs to, or None."""
    invitation = (
        Invitation.objects.select_related("organization").filter(token_hash=_digest(raw)).first()
    )
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None) -> User:
    """Accept an invitation: create the account (or reuse an existing one) and grant roles."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError("This invitation has expired or was already used.")
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        if not password:
            raise ValidationError({"password1": "Choose a password."})
        user = user_create(
            email=invitation.email, display_name=invitation.display_name, password=password
        )
    existing = Membership.objects.filter(
        organization=invitation.organization, user=user
    ).values_list("role", flat=True)
    membership_roles_set(
        organization=invitation.organization,
        user=user,
        roles={*existing, *invitation.roles},
        actor=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit_event_record(
        action="accounts.invitation_accepted",
        actor=user,
        organization=invitation.organization,
        subject=invitation,
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_event_record(
        action="accounts.invitation_revoked",
        actor=actor,
        organization=invitation.organization,
        subject=invitation,
    )


@transaction.atomic
def user_display_name_set(*, user: User, display_name: str) -> User:
    """Rename a user; the name must be non-blank and at most 150 characters."""
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    audit_event_record(
        action="accounts.profile_updated",
        actor=user,
        subject=user,
        extra={"fields": ["display_name"]},
    )
    return user


@transaction.atomic
def clinician_profile_update(
    *,
    user: User,
    display_name: str,
    npi: str,
    credentials: str,
    modalities: list[str],
    populations: list[str],
    languages: list[str],
    bio: str,
) -> ClinicianProfile:
    profile, _ = ClinicianProfile.objects.get_or_create(user=user)
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    profile.npi = npi.strip()
    profile.credentials = credentials.strip()
    profile.modalities = modalities
    profile.populations = populations
    profile.languages = languages
    profile.bio = bio
    profile.full_clean()
    profile.save()
    audit_event_record(
        action="accounts.profile_updated",
        actor=user,
        subject=user,
        extra={
            "fields": [
                "display_name",
                "npi",
                "credentials",
                "modalities",
                "populations",
                "languages",
                "bio",
            ]
        },
    )
    return profile


@transaction.atomic
def degree_add(*, user: User, kind: str, field_of_study: str, school: str, year: int) -> Degree:
    profile, _ = ClinicianProfile.objects.get_or_create(user=user)
    degree = Degree(
        profile=profile, kind=kind, field_of_study=field_of_study, school=school, year=year
    )
    degree.full_clean()
    degree.save()
    audit_event_record(
        action="accounts.profile_updated",
        actor=user,
        subject=user,
        extra={"fields": ["degrees"]},
    )
    return degree


@transaction.atomic
def access_token_create(
    *, user: User, organization: Organization, name: str, can_write: bool, days: int
) -> tuple[PersonalAccessToken, str]:
    """Issue a personal access token; the raw value is returned once and never stored."""
    if not 1 <= days <= settings.TEND_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": f"Choose between 1 and {settings.TEND_API_TOKEN_MAX_DAYS} days."}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken(
        user=user,
        organization=organization,
        name=name.strip(),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=_digest(raw),
        can_write=can_write,
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_event_record(
        action="accounts.token_created",
        actor=user,
        organization=organization,
        subject=token,
        extra={"can_write": can_write, "days": days},
    )
    return token, raw


@transaction.atomic
def access_token_revoke(*, token: PersonalAccessToken, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_event_record(
            action="accounts.token_revoked",
            actor=actor,
            organization=token.organization,
            subject=token,
        )


def access_token_authenticate(raw: str) -> PersonalAccessToken | None:
    """The usable token for a raw value, with its use recorded; None when unknown or dead."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        PersonalAccessToken.objects.select_related("user", "organization")
        .filter(token_hash=_digest(raw))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    # Recording every use would turn each API read into a write; once a minute is enough
    # to tell people which tokens are alive.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
