"""The append-only, hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pgtrigger
from django.db import models

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One thing that happened. Rows are never updated or deleted.

    Actor and organization are stored as public ids and labels, not foreign keys, so the
    trail survives the deletion of the people and records it describes and its hashes stay
    valid.
    """

    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=64)
    actor_id = models.UUIDField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    organization_id = models.UUIDField(null=True, blank=True)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    client_id = models.UUIDField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["organization_id", "occurred_at"]),
            models.Index(fields=["client_id", "occurred_at"]),
            models.Index(fields=["actor_id", "occurred_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        triggers = [
            # The application never updates or deletes audit rows; on PostgreSQL the database
            # refuses it too, so even a raw SQL session cannot rewrite history quietly.
            pgtrigger.Protect(
                name="audit_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action}"

    def canonical_content(self) -> dict[str, Any]:
        """Everything the hash covers, in a form that round-trips through either database."""
        return {
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "action": self.action,
            "actor_id": str(self.actor_id) if self.actor_id else None,
            "actor_label": self.actor_label,
            "organization_id": str(self.organization_id) if self.organization_id else None,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "client_id": str(self.client_id) if self.client_id else None,
            "ip": self.ip,
            "request_id": self.request_id,
            "extra": self.extra,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(
            self.canonical_content(), sort_keys=True, separators=(",", ":"), ensure_ascii=True
        )
        return hashlib.sha256(payload.encode()).hexdigest()
