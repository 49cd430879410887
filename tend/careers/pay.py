"""Comparable pay: every posting's pay as an effective annual figure, beside the BLS median.

The annual figure is only arithmetic on what the employer stated (rate, sessions or hours
per week, working weeks per year); the assumptions are returned as text so the page can
show them. BLS figures come from data/occupations.yaml with their period, source and
confidence; nothing here restates a wage.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

_X = "\u00d7"  # the multiplication sign, for the assumptions text
OCCUPATIONS_PATH = Path(__file__).resolve().parents[2] / "data" / "occupations.yaml"

# Which license key of `license_to_occupation` in occupations.yaml stands for each
# licence family (the family's independent licence).
_FAMILY_LICENSE_KEY = {
    "counselor": "LPC",
    "mft": "LMFT",
    "social_work": "LCSW",
    "psychology": "Psychologist",
}


@dataclass(frozen=True)
class AnnualPay:
    low: int
    high: int
    assumptions: str


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def annualize(
    *,
    pay_basis: str,
    pay_min: Decimal,
    pay_max: Decimal,
    sessions_per_week: int,
    hours_per_week: int | None,
    working_weeks_per_year: int,
    collected_fee_per_session: Decimal | None,
) -> AnnualPay:
    """The stated pay range as dollars per year; ValueError if a needed figure is missing."""
    weeks = working_weeks_per_year
    if pay_basis == "salary":
        return AnnualPay(_whole(pay_min), _whole(pay_max), "Stated as an annual salary.")
    if pay_basis == "hourly":
        if not hours_per_week:
            raise ValueError("hours_per_week")
        factor = Decimal(hours_per_week * weeks)
        text = f"hourly rate {_X} {hours_per_week} hours/week {_X} {weeks} working weeks/year"
        return AnnualPay(_whole(pay_min * factor), _whole(pay_max * factor), text)
    if pay_basis == "per_session":
        factor = Decimal(sessions_per_week * weeks)
        text = (
            f"per-session rate {_X} {sessions_per_week} sessions/week {_X} "
            f"{weeks} working weeks/year"
        )
        return AnnualPay(_whole(pay_min * factor), _whole(pay_max * factor), text)
    if pay_basis == "fee_split":
        if not collected_fee_per_session:
            raise ValueError("collected_fee_per_session")
        factor = collected_fee_per_session * sessions_per_week * weeks / Decimal(100)
        text = (
            f"split % {_X} ${collected_fee_per_session:,.2f} collected per session {_X} "
            f"{sessions_per_week} sessions/week {_X} {weeks} working weeks/year"
        )
        return AnnualPay(_whole(pay_min * factor), _whole(pay_max * factor), text)
    raise ValueError("pay_basis")


@dataclass(frozen=True)
class WageFact:
    soc_code: str
    soc_title: str
    onet_code: str
    annual_median_usd: int
    reference_period: str
    source_url: str
    source_kind: str
    confidence: str

    @property
    def is_low_confidence(self) -> bool:
        return self.confidence == "low"

    @property
    def label(self) -> str:
        qualifier = (
            " (low confidence: verify before relying on it)" if self.is_low_confidence else ""
        )
        return (
            f"BLS median for {self.soc_title} ({self.soc_code}), {self.reference_period}: "
            f"${self.annual_median_usd:,}; confidence {self.confidence}{qualifier}"
        )


@functools.cache
def _occupations() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(OCCUPATIONS_PATH.read_text(encoding="utf-8"))
    return document


def onet_code_for(family: str) -> str:
    return str(_occupations()["license_to_occupation"][_FAMILY_LICENSE_KEY[family]])


def wage_fact_for(family: str) -> WageFact:
    """The newest national median the data lists for the family's occupation."""
    onet = onet_code_for(family)
    for occupation in _occupations()["occupations"]:
        if not any(entry["code"] == onet for entry in occupation.get("onet", [])):
            continue
        for wage in occupation.get("wages", []):
            if wage.get("geography") == "US" and "annual_median_usd" in wage:
                return WageFact(
                    soc_code=occupation["soc_code"],
                    soc_title=occupation["soc_title"],
                    onet_code=onet,
                    annual_median_usd=int(wage["annual_median_usd"]),
                    reference_period=str(wage["reference_period"]),
                    source_url=wage["source_url"],
                    source_kind=wage["source_kind"],
                    confidence=wage["confidence"],
                )
    raise LookupError(f"no national median in occupations.yaml for {family}")
