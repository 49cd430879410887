"""Explore careers: the road to each licence, read from the requirement data.

Every number comes from data/licensure/requirements.yaml (through the licensure engine,
which labels confidence and unverified fields) or data/occupations.yaml; the open-posting
facts are counts over Tend's own job board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min

from tend.accounts.models import US_STATES
from tend.careers.models import JobPosting, Setting
from tend.careers.pay import WageFact, wage_fact_for
from tend.careers.selectors import JobSearch, matching_postings
from tend.licensure import requirements
from tend.licensure.models import LicenseFamily

STATE_NAMES = dict(US_STATES)
FAMILY_LABELS = dict(LicenseFamily.choices)
NEWEST_SHOWN = 5


@dataclass(frozen=True)
class PathLink:
    state: str
    state_name: str
    license_title: str
    confidence: str


@dataclass(frozen=True)
class FamilyPaths:
    family: str
    label: str
    paths: list[PathLink]


def explore_index() -> list[FamilyPaths]:
    """Every licence family with the states the data covers."""
    rows = requirements.load_requirements().requirements
    return [
        FamilyPaths(
            family=family,
            label=label,
            paths=sorted(
                (
                    PathLink(
                        state=row.state,
                        state_name=STATE_NAMES.get(row.state, row.state),
                        license_title=row.license_title,
                        confidence=row.confidence,
                    )
                    for row in rows
                    if row.license_family == family
                ),
                key=lambda link: link.state_name,
            ),
        )
        for family, label in LicenseFamily.choices
    ]


@dataclass(frozen=True)
class ExamLine:
    label: str
    names: str


@dataclass(frozen=True)
class CompactLine:
    name: str
    status_detail: str


@dataclass(frozen=True)
class OpenPostings:
    count: int
    annual_pay_low: int | None
    annual_pay_high: int | None
    by_setting: list[tuple[str, int]]
    newest: list[JobPosting]
    search_query: str


@dataclass(frozen=True)
class CareerPath:
    requirement: requirements.Requirement
    family_label: str
    state_name: str
    progress: requirements.Progress
    associate_exams: list[ExamLine]
    exams: list[ExamLine]
    compacts: list[CompactLine]
    wage: WageFact
    postings: OpenPostings


def _exam_lines(choices: tuple[requirements.ExamChoice, ...]) -> list[ExamLine]:
    return [ExamLine(label=choice.label, names=choice.title) for choice in choices]


def _open_postings(family: str, state: str, *, today: date) -> OpenPostings:
    matching = matching_postings(JobSearch(family=family, state=state), today=today)
    summary = matching.aggregate(
        count=Count("id"), low=Min("annual_pay_min"), high=Max("annual_pay_max")
    )
    setting_labels = dict(Setting.choices)
    by_setting = [
        (setting_labels.get(row["setting"], row["setting"]), row["n"])
        for row in matching.values("setting").annotate(n=Count("id")).order_by("-n", "setting")
    ]
    return OpenPostings(
        count=summary["count"],
        annual_pay_low=summary["low"],
        annual_pay_high=summary["high"],
        by_setting=by_setting,
        newest=list(matching.order_by("-posted_on", "-id")[:NEWEST_SHOWN]),
        search_query=f"family={family}&state={state}",
    )


def career_path(family: str, state: str, *, today: date) -> CareerPath | None:
    """The road to one licence in one state, or None where the data has no row."""
    try:
        row = requirements.requirement_for(state, family)
    except requirements.RequirementNotFound:
        return None
    nothing = requirements.HoursTotals()
    compacts = requirements.compacts()
    return CareerPath(
        requirement=row,
        family_label=FAMILY_LABELS[family],
        state_name=STATE_NAMES.get(state, state),
        # Measured against an empty ledger: only the required side of each line is shown.
        progress=requirements.progress(
            row, nothing, started_on=today, as_of=today, recent_weekly_pace=nothing
        ),
        associate_exams=_exam_lines(row.associate_exams),
        exams=_exam_lines(row.exams),
        compacts=[
            CompactLine(name=compacts[code].name, status_detail=compacts[code].status_detail)
            for code in row.compacts
            if code in compacts
        ],
        wage=wage_fact_for(family),
        postings=_open_postings(family, state, today=today),
    )
