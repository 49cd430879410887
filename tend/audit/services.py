"""Writing and verifying the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from tend.audit.actions import is_known_action
from tend.audit.context import current_request_context
from tend.audit.models import GENESIS_HASH, AuditEvent

if TYPE_CHECKING:
    from tend.accounts.models import Organization, User

# Any constant works; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 0x7E4D_A0D1


def _subject_reference(subject: models.Model) -> tuple[str, str]:
    public_id = getattr(subject, "public_id", None)
    if public_id is None:
        raise ValueError(f"{type(subject).__name__} has no public id to audit by.")
    return f"{subject._meta.app_label}.{subject._meta.model_name}", str(public_id)


def audit_event_record(
    *,
    action: str,
    actor: User | None,
    organization: Organization | None = None,
    subject: models.Model | None = None,
    client_id: uuid.UUID | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Raises ValueError for an action missing from the catalogue. Extras must never carry
    clinical narrative: ids, field names and counts only.
    """
    if not is_known_action(action):
        raise ValueError(f"Unknown audit action {action!r}; add it to tend/audit/actions.py.")
    subject_type, subject_id = _subject_reference(subject) if subject is not None else ("", "")
    context = current_request_context()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Serialize writers so each row links to the true previous row; SQLite's
            # IMMEDIATE transactions already serialize writers.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            occurred_at=timezone.now(),
            action=action,
            actor_id=actor.public_id if actor is not None and actor.pk else None,
            actor_label=actor.email if actor is not None and actor.pk else "",
            organization_id=organization.public_id if organization is not None else None,
            subject_type=subject_type,
            subject_id=subject_id,
            client_id=client_id,
            ip=context.ip if context else None,
            request_id=context.request_id if context else "",
            extra=extra or {},
            prev_hash=previous or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def audit_read_record(
    request: HttpRequest,
    *,
    action: str,
    subject: models.Model,
    organization: Organization,
    client_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Record that the requesting user viewed a protected record (views call this)."""
    user = request.user if request.user.is_authenticated else None
    return audit_event_record(
        action=action,
        actor=user,
        organization=organization,
        subject=subject,
        client_id=client_id,
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _events_in_order() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=5000)


def audit_chain_verify() -> ChainReport:
    """Walk the whole chain and report the first row whose hash or link does not hold."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in _events_in_order():
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked, event.pk, f"row {event.pk} does not link to the row before it"
            )
        if event.compute_hash() != event.hash:
            return ChainReport(
                checked, event.pk, f"row {event.pk} was altered after it was written"
            )
        expected_prev = event.hash
        checked += 1
    return ChainReport(checked, None, "intact")
