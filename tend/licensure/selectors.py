"""Reads of a person's own credentials and hours ledger, and progress toward a licence."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.db.models import Min, Q, QuerySet, Sum

from tend.accounts.models import Organization, User
from tend.licensure import requirements
from tend.licensure.models import (
    CompactPrivilege,
    ExamAttempt,
    HoursCategory,
    HoursEntry,
    HoursVerification,
    License,
)

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


def license_line_for(user: User, *, on: date, state: str = "") -> str:
    """The licence or registration in force on `on` as a line for a signed record,
    e.g. "LPC-S (TX) #TX-555", preferring one in `state`; "" when none is recorded."""
    in_force = [license_ for license_ in licenses_for(user) if license_.is_in_force_on(on)]
    in_force.sort(key=lambda license_: license_.state != state)
    return str(in_force[0]) if in_force else ""


# ----------------------------------------------------------------------- hours ledger


def ledger_for(associate: User) -> QuerySet[HoursEntry]:
    """Every entry of the associate's ledger, newest first, with its verification."""
    return HoursEntry.objects.filter(associate=associate).select_related("verification")


def verifications_for(
    associate: User, organization: Organization | None = None
) -> QuerySet[HoursVerification]:
    """The associate's verifications, oldest first; only `organization`'s when given (what a
    supervisor there may see: other sites' supervisors and numbers are not theirs)."""
    verifications = HoursVerification.objects.filter(associate=associate)
    if organization is not None:
        verifications = verifications.filter(organization=organization)
    return verifications.order_by("period_start")


def _totals(minutes: dict[str, int]) -> requirements.HoursTotals:
    return requirements.HoursTotals(
        **{category: minutes.get(category, 0) / 60 for category in HoursCategory.values}
    )


@dataclass(frozen=True)
class LedgerSummary:
    """Totals of a ledger in hours: all of it, the verified part, and the recent weeks."""

    total: requirements.HoursTotals
    verified: requirements.HoursTotals
    recent: requirements.HoursTotals
    first_entry_on: date | None
    as_of: date

    @property
    def unverified(self) -> requirements.HoursTotals:
        return requirements.HoursTotals(
            **{
                item.name: getattr(self.total, item.name) - getattr(self.verified, item.name)
                for item in fields(requirements.HoursTotals)
            }
        )

    def rows(self) -> list[tuple[str, str, float, float]]:
        """(category, label, total hours, verified hours) per category."""
        return [
            (value, label, getattr(self.total, value), getattr(self.verified, value))
            for value, label in HoursCategory.choices
        ]


def ledger_summary(associate: User, *, today: date) -> LedgerSummary:
    """The associate's totals by category (one query, whatever the number of entries)."""
    recent_since = today - timedelta(weeks=requirements.PACE_WEEKS)
    rows = (
        HoursEntry.objects.filter(associate=associate, worked_on__lte=today)
        .values("category")
        .annotate(
            total=Sum("minutes"),
            verified=Sum("minutes", filter=Q(verification__isnull=False)),
            recent=Sum("minutes", filter=Q(worked_on__gt=recent_since)),
            first=Min("worked_on"),
        )
        .order_by()
    )
    total, verified, recent = {}, {}, {}
    first: date | None = None
    for row in rows:
        total[row["category"]] = row["total"] or 0
        verified[row["category"]] = row["verified"] or 0
        recent[row["category"]] = row["recent"] or 0
        first = row["first"] if first is None else min(first, row["first"])
    return LedgerSummary(
        total=_totals(total),
        verified=_totals(verified),
        recent=_totals(recent),
        first_entry_on=first,
        as_of=today,
    )


def organization_ledger_totals(organization: Organization) -> list[dict[str, object]]:
    """Per associate with entries here: total and verified hours only (for owners and
    admins, who see no entries, dates or sources)."""
    rows = (
        HoursEntry.objects.filter(organization=organization)
        .values("associate__public_id", "associate__display_name")
        .annotate(
            total=Sum("minutes"), verified=Sum("minutes", filter=Q(verification__isnull=False))
        )
        .order_by("associate__display_name")
    )
    return [
        {
            "associate": row["associate__display_name"],
            "total_hours": (row["total"] or 0) / 60,
            "verified_hours": (row["verified"] or 0) / 60,
        }
        for row in rows
    ]


def pending_verification_minutes(
    organization: Organization, associate_ids: list[int]
) -> dict[int, int]:
    """Unverified minutes here per associate (the supervisor's dashboard; one query)."""
    return dict(
        HoursEntry.objects.filter(
            organization=organization, associate_id__in=associate_ids, verification__isnull=True
        )
        .values("associate_id")
        .annotate(minutes=Sum("minutes"))
        .values_list("associate_id", "minutes")
    )


# ----------------------------------------------------------------------- progress


@dataclass(frozen=True)
class LicensurePath:
    state: str
    family: str
    chosen_in: str  # where the path comes from, shown to the associate


def licensure_path_for(associate: User, *, today: date) -> LicensurePath | None:
    """The associate's path: the one named on a current supervision relationship, else the
    state and family of their associate registration in force."""
    from tend.supervision.selectors import path_of

    relationship = path_of(associate)
    if relationship is not None:
        return LicensurePath(
            relationship.path_state, relationship.path_family, "your supervision relationship"
        )
    for license_ in licenses_for(associate):
        if license_.is_associate and license_.is_in_force_on(today):
            return LicensurePath(license_.state, license_.family, "your associate registration")
    return None


@dataclass(frozen=True)
class ProgressReport:
    path: LicensurePath
    summary: LedgerSummary
    progress: requirements.Progress | None
    what_if: requirements.WhatIf | None
    what_if_state: str
    exam_names: dict[str, str]

    @property
    def requirement(self) -> requirements.Requirement | None:
        return self.progress.requirement if self.progress else None

    @property
    def supervision_per_experience(self) -> float | None:
        """Hours of client and indirect work per hour of supervision, all time."""
        supervision = self.summary.total.supervision
        return self.summary.total.experience / supervision if supervision else None

    @property
    def supervision_per_week(self) -> float:
        """Supervision hours per week over the pace window."""
        weeks: float = requirements.PACE_WEEKS
        if self.summary.first_entry_on is not None:
            age = (self.summary.as_of - self.summary.first_entry_on).days / 7
            weeks = max(1.0, min(float(weeks), age))
        return self.summary.recent.supervision / weeks


def _measure(
    requirement: requirements.Requirement,
    summary: LedgerSummary,
    passed: frozenset[str],
) -> requirements.Progress:
    started = summary.first_entry_on or summary.as_of
    window = requirements.LedgerWindow(first_entry_on=started, as_of=summary.as_of)
    return requirements.progress(
        requirement,
        summary.total,
        started_on=started,
        as_of=summary.as_of,
        recent_weekly_pace=requirements.weekly_pace(summary.recent, window=window),
        passed_exams=passed,
    )


def progress_for(associate: User, *, today: date, what_if_state: str = "") -> ProgressReport | None:
    """Progress on the associate's path, and on another state's row when asked. None when
    no path is chosen. A fixed number of queries whatever the size of the ledger."""
    path = licensure_path_for(associate, today=today)
    if path is None:
        return None
    summary = ledger_summary(associate, today=today)
    passed = frozenset(
        exam_attempts_for(associate)
        .filter(result=ExamAttempt.Result.PASSED)
        .values_list("exam_code", flat=True)
    )
    try:
        requirement: requirements.Requirement | None = requirements.requirement_for(
            path.state, path.family
        )
    except requirements.RequirementNotFound:
        requirement = None
    progress = _measure(requirement, summary, passed) if requirement else None
    what_if = None
    what_if_state = what_if_state.upper()
    if what_if_state and what_if_state != path.state:
        started = summary.first_entry_on or today
        window = requirements.LedgerWindow(first_entry_on=started, as_of=today)
        try:
            what_if = requirements.what_if(
                what_if_state,
                path.family,
                summary.total,
                started_on=started,
                as_of=today,
                recent_weekly_pace=requirements.weekly_pace(summary.recent, window=window),
                passed_exams=passed,
                current=requirement,
            )
        except requirements.RequirementNotFound:
            what_if = None
    return ProgressReport(
        path=path,
        summary=summary,
        progress=progress,
        what_if=what_if,
        what_if_state=what_if_state if what_if else "",
        exam_names={code: exam.name for code, exam in requirements.exams_catalogue().items()},
    )


@dataclass(frozen=True)
class SupervisedHours:
    """A clinician's supervised hours on their path, for other apps (e.g. careers)."""

    path_state: str
    path_family: str
    verified: requirements.HoursTotals
    total: requirements.HoursTotals
    has_entries: bool


def supervised_hours_for(user: User, *, today: date) -> SupervisedHours:
    """Verified and total hours in `user`'s ledger with the path they count toward (empty
    strings when no path is chosen). Two to four queries."""
    path = licensure_path_for(user, today=today)
    summary = ledger_summary(user, today=today)
    return SupervisedHours(
        path_state=path.state if path else "",
        path_family=path.family if path else "",
        verified=summary.verified,
        total=summary.total,
        has_entries=summary.first_entry_on is not None,
    )
