"""Reads of a person's own credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from tend.accounts.models import User
from tend.licensure.models import CompactPrivilege, ExamAttempt, License

# Renewal reminders at 90, 60 and 30 days before expiry (issue 8).
ALERT_THRESHOLDS = (30, 60, 90)


def licenses_for(user: User) -> QuerySet[License]:
    return License.objects.filter(holder=user).order_by("expires_on", "state")


def privileges_for(user: User) -> QuerySet[CompactPrivilege]:
    return CompactPrivilege.objects.filter(holder=user).select_related("home_license")


def exam_attempts_for(user: User) -> QuerySet[ExamAttempt]:
    return ExamAttempt.objects.filter(candidate=user)


@dataclass(frozen=True)
class ExpiryAlert:
    license: License
    days_left: int
    threshold: int

    @property
    def is_urgent(self) -> bool:
        return self.threshold <= 30


def expiry_alerts(user: User, *, today: date) -> list[ExpiryAlert]:
    """Licences in force that expire within 90 days, each with the tightest threshold
    (30, 60 or 90 days) it has crossed. One query."""
    alerts = []
    for license_ in licenses_for(user).exclude(
        status__in=[License.Status.EXPIRED, License.Status.INACTIVE]
    ):
        days_left = (license_.expires_on - today).days
        if days_left < 0 or days_left > ALERT_THRESHOLDS[-1]:
            continue
        threshold = next(limit for limit in ALERT_THRESHOLDS if days_left <= limit)
        alerts.append(ExpiryAlert(license=license_, days_left=days_left, threshold=threshold))
    return alerts
