"""Whether the signed-in clinician may take a posting, and why.

Computed from the clinician's own licences (state, family, status, expiry), their compact
privileges, what the requirement data says about compacts, and, for associates, their
hours progress toward licensure. Pure functions over a `Credentials` snapshot loaded once
per request (two queries), so a page of results costs no extra queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from tend.accounts.models import User
from tend.careers.models import JobPosting
from tend.licensure import requirements
from tend.licensure.models import CompactPrivilege, License, LicenseFamily
from tend.licensure.selectors import ledger_summary, licenses_for, privileges_for

NO_HOURS_LOGGED = "no hours logged in your ledger yet"


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    CONDITIONS = "conditions"
    NOT_ELIGIBLE = "not_eligible"

    @property
    def label(self) -> str:
        return {
            "eligible": "Eligible",
            "conditions": "Eligible with conditions",
            "not_eligible": "Not eligible",
        }[self.value]


_RANK = {Outcome.ELIGIBLE: 2, Outcome.CONDITIONS: 1, Outcome.NOT_ELIGIBLE: 0}


@dataclass(frozen=True)
class Credentials:
    licenses: tuple[License, ...]
    privileges: tuple[CompactPrivilege, ...]
    today: date

    @property
    def is_empty(self) -> bool:
        return not self.licenses


def credentials_for(user: User, *, today: date) -> Credentials:
    return Credentials(
        licenses=tuple(licenses_for(user)), privileges=tuple(privileges_for(user)), today=today
    )


@dataclass(frozen=True)
class HoursStanding:
    """Hours toward licensure from the clinician's own hours ledger (licensure app)."""

    totals: requirements.HoursTotals
    is_recorded: bool
    note: str
    started_on: date | None = None


def hours_standing_for(user: User, *, today: date) -> HoursStanding:
    """Every hour logged so far (verified or not, as the progress page counts them), with
    the verified share said in the note."""
    summary = ledger_summary(user, today=today)
    if summary.first_entry_on is None:
        return HoursStanding(
            totals=requirements.HoursTotals(), is_recorded=False, note=NO_HOURS_LOGGED
        )
    logged, verified = summary.total.all_logged, summary.verified.all_logged
    return HoursStanding(
        totals=summary.total,
        is_recorded=True,
        note=f"{logged:,.0f} h logged in your hours ledger, {verified:,.0f} h of them verified",
        started_on=summary.first_entry_on,
    )


@dataclass
class Eligibility:
    outcome: Outcome
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.outcome.label


def _compact_route(
    license_: License, state: str, families: list[str]
) -> requirements.CompactStanding | None:
    """A compact that covers the licence's family with both states listed as members."""
    for code, compact in requirements.compacts().items():
        if license_.family not in compact.licenses_covered or license_.family not in families:
            continue
        home = requirements.compact_allows(code, license_.state)
        remote = requirements.compact_allows(code, state)
        if home.is_member and remote.is_member:
            return remote
    return None


def _state_outcome(
    posting: JobPosting, state: str, credentials: Credentials
) -> tuple[Outcome, str]:
    families = posting.license_family_list
    today = credentials.today
    usable = [
        item
        for item in credentials.licenses
        if item.family in families and item.is_in_force_on(today)
    ]
    for item in usable:
        if item.state == state and not item.is_associate:
            return Outcome.ELIGIBLE, (
                f"Your active {item.title} licence in {state} (expires "
                f"{item.expires_on:%b %-d, %Y}) covers {state}."
            )
    for privilege in credentials.privileges:
        home = privilege.home_license
        if (
            privilege.state == state
            and privilege.expires_on >= today
            and home.family in families
            and home.is_in_force_on(today)
        ):
            return Outcome.ELIGIBLE, (
                f"Your {privilege.compact_code} privilege covers {state} "
                f"(home licence {home.title}, {home.state})."
            )
    for item in usable:
        if item.state == state and item.is_associate:
            if not posting.accepts_associates:
                return Outcome.NOT_ELIGIBLE, (
                    f"You hold an associate registration ({item.title}) in {state}, "
                    "and this posting does not accept associates."
                )
            if not posting.supervision_provided:
                return Outcome.NOT_ELIGIBLE, (
                    f"You hold an associate registration ({item.title}) in {state}, and this "
                    "posting provides no supervision toward licensure."
                )
            credential = posting.supervisor_credential or "a qualified supervisor"
            hours = float(posting.supervision_hours_per_week or 0)
            return Outcome.CONDITIONS, (
                f"As an associate ({item.title}, {state}) under the supervision the employer "
                f"provides ({credential}, {hours:g} h/week)."
            )
    for item in usable:
        if item.is_associate:
            continue
        standing = _compact_route(item, state, families)
        if standing is not None:
            return Outcome.CONDITIONS, (
                f"Needs a {standing.compact.name} privilege for {state}, which your "
                f"{item.state} {item.title} licence allows per the data "
                f"(compact status: {standing.compact.status})."
            )
    return Outcome.NOT_ELIGIBLE, f"You hold no licence or compact privilege for {state}."


def eligibility_for(posting: JobPosting, credentials: Credentials) -> Eligibility:
    """Eligible if any listed state is covered; the best state's outcome and its reasons."""
    families = posting.license_family_list
    matching = [item for item in credentials.licenses if item.family in families]
    if not matching:
        family_labels = ", ".join(LicenseFamily(family).label for family in families)
        return Eligibility(
            Outcome.NOT_ELIGIBLE,
            [f"None of your licences is in a family this posting accepts ({family_labels})."],
        )
    expired = [item for item in matching if item.is_expired_on(credentials.today)]
    results = [_state_outcome(posting, state, credentials) for state in posting.licensed_state_list]
    best = max((outcome for outcome, _ in results), key=_RANK.__getitem__)
    reasons = [reason for outcome, reason in results if outcome == best]
    reasons += [
        f"Your {item.title} licence in {item.state} expired on {item.expires_on:%b %-d, %Y}."
        for item in expired
    ]
    return Eligibility(best, reasons)


def qualifying_filter(credentials: Credentials) -> list[tuple[str, str, bool]]:
    """(state, family, needs_associate_support) combinations the clinician can work in,
    with or without conditions: the same rules as `eligibility_for`, as data a selector
    turns into a WHERE clause so "only jobs I qualify for" pages in the database."""
    today = credentials.today
    combos: set[tuple[str, str, bool]] = set()
    usable = [item for item in credentials.licenses if item.is_in_force_on(today)]
    for item in usable:
        if item.is_associate:
            combos.add((item.state, item.family, True))
            continue
        combos.add((item.state, item.family, False))
        for code, compact in requirements.compacts().items():
            if item.family not in compact.licenses_covered:
                continue
            if requirements.compact_allows(code, item.state).is_member is not True:
                continue
            for state in {*compact.members_in_scope, *compact.members_sourced}:
                combos.add((state, item.family, False))
    for privilege in credentials.privileges:
        home = privilege.home_license
        if privilege.expires_on >= today and home.is_in_force_on(today):
            combos.add((privilege.state, home.family, False))
    # A full licence makes the associate-only combination for the same place redundant.
    return sorted(
        combo for combo in combos if not (combo[2] and (combo[0], combo[1], False) in combos)
    )
