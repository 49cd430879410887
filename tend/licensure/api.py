"""The licensure API: the caller's own hours totals and progress on their path (read-only,
no entries and nothing about clients)."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router

from tend.audit.services import audit_event_record
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest
from tend.licensure import requirements
from tend.licensure.schemas import CategoryHoursOut, ProgressOut, RuleOut
from tend.licensure.selectors import ledger_summary, progress_for

router = Router(tags=["licensure"])


@router.get("/progress", response=ProgressOut)
@requires(Capability.LOG_LICENSURE_HOURS)
def progress(request: MemberRequest) -> ProgressOut:
    """Hours by category (logged and verified) and progress on the caller's path; the path
    fields are null until a path is chosen."""
    today = timezone.localdate()
    report = progress_for(request.user, today=today)
    summary = report.summary if report else ledger_summary(request.user, today=today)
    audit_event_record(
        action="licensure.ledger_viewed",
        actor=request.user,
        organization=request.organization,
        subject=request.user,
        extra={"via": "api"},
    )
    measured = report.progress if report else None
    return ProgressOut(
        path_state=report.path.state if report else None,
        path_family=report.path.family if report else None,
        license_title=measured.requirement.license_title if measured else None,
        categories=[
            CategoryHoursOut(category=value, logged_hours=total, verified_hours=verified)
            for value, _, total, verified in summary.rows()
        ],
        rules=_rules(measured) if measured else [],
        projected_completion=measured.projection.completes_on if measured else None,
        projection_reason=measured.projection.reason if measured else None,
        exams_outstanding=(
            [choice.label for choice in measured.exams_outstanding] if measured else []
        ),
    )


def _rules(measured: requirements.Progress) -> list[RuleOut]:
    requirement = measured.requirement
    return [
        RuleOut(
            rule=line.rule,
            label=line.label,
            required_hours=line.required,
            credited_hours=line.credited,
            remaining_hours=line.remaining,
            met=line.met,
            source=requirement.board,
            as_of=requirement.as_of,
            confidence=line.confidence,
            low_confidence=line.is_low_confidence,
            unverified_fields=list(line.unverified_fields),
        )
        for line in measured.lines
    ]
