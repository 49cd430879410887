"""What a results row or posting page shows beside the stored posting (no queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tend.careers.eligibility import Credentials, Eligibility, HoursStanding, eligibility_for
from tend.careers.models import JobPosting
from tend.careers.pay import AnnualPay, WageFact, annualize, wage_fact_for
from tend.core import vocabulary
from tend.licensure import requirements
from tend.licensure.models import LicenseFamily


@dataclass(frozen=True)
class AssociateOutlook:
    license_title: str
    state: str
    completes_on: date | None
    reason: str
    pace_text: str
    hours_note: str
    hours_recorded: bool
    provenance: str
    is_low_confidence: bool


@dataclass(frozen=True)
class PostingCard:
    posting: JobPosting
    annual_pay: AnnualPay
    wage: WageFact
    freshness: str
    eligibility: Eligibility | None
    modality_labels: list[str]
    population_labels: list[str]
    family_labels: list[str]


def freshness_text(posting: JobPosting, today: date) -> str:
    if posting.reconfirmed_on is not None:
        days = (today - posting.reconfirmed_on).days
        when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        return f"Re-confirmed {when}"
    days = (today - posting.posted_on).days
    return "Posted today" if days == 0 else f"Posted {days} day{'s' if days != 1 else ''} ago"


def posting_card(
    posting: JobPosting, *, today: date, credentials: Credentials | None
) -> PostingCard:
    modalities = dict(vocabulary.choices("modalities"))
    populations = dict(vocabulary.choices("populations"))
    return PostingCard(
        posting=posting,
        annual_pay=annualize(
            pay_basis=posting.pay_basis,
            pay_min=posting.pay_min,
            pay_max=posting.pay_max,
            sessions_per_week=posting.sessions_per_week,
            hours_per_week=posting.hours_per_week,
            working_weeks_per_year=posting.working_weeks_per_year,
            collected_fee_per_session=posting.collected_fee_per_session,
        ),
        wage=wage_fact_for(posting.license_family_list[0]),
        freshness=freshness_text(posting, today),
        eligibility=eligibility_for(posting, credentials) if credentials else None,
        modality_labels=[modalities.get(code, code) for code in posting.modality_list],
        population_labels=[populations.get(code, code) for code in posting.population_list],
        family_labels=[LicenseFamily(code).label for code in posting.license_family_list],
    )


def associate_outlook(
    posting: JobPosting, credentials: Credentials, *, standing: HoursStanding
) -> list[AssociateOutlook]:
    """For each associate registration in a posting state: the engine's projected licensure
    date if the associate worked at this job's pace (each session counted as one direct
    client hour, the job's weekly supervision counted as individual supervision)."""
    if not posting.supervision_provided:
        return []
    pace = requirements.HoursTotals(
        direct_individual=posting.sessions_per_week,
        supervision_individual=float(posting.supervision_hours_per_week or 0),
    )
    pace_text = (
        f"{posting.sessions_per_week} sessions/week counted as one direct client hour each, "
        f"plus {pace.supervision_individual:g} h/week of supervision"
    )
    outlooks = []
    for item in credentials.licenses:
        if not item.is_associate or item.state not in posting.licensed_state_list:
            continue
        if item.family not in posting.license_family_list:
            continue
        try:
            row = requirements.requirement_for(item.state, item.family)
        except requirements.RequirementNotFound:
            continue
        # The window runs from the first ledger entry; without one, from the registration.
        started = standing.started_on or min(item.issued_on, credentials.today)
        result = requirements.progress(
            row,
            standing.totals,
            started_on=started,
            as_of=credentials.today,
            recent_weekly_pace=pace,
        )
        outlooks.append(
            AssociateOutlook(
                license_title=row.license_title,
                state=item.state,
                completes_on=result.projection.completes_on,
                reason=result.projection.reason,
                pace_text=pace_text,
                hours_note=standing.note,
                hours_recorded=standing.is_recorded,
                provenance=row.provenance,
                is_low_confidence=row.is_low_confidence,
            )
        )
    return outlooks
