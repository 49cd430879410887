"""Measurement instruments read from data/instruments.yaml: answers in, scores out.

Pure Python, no Django: the assessment views validate answers here before storing them
and render what this module returns. Every clinical number (band edge, critical-item
test, reliable-change size, caseness cut-off) comes from the data file. Where the data
states a rule only as prose this engine does not parse (PHQ-9 `diagnostic_algorithm`,
AUDIT `skip_logic`, the alternative K10 banding in `bands_note`), it does not act on it.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "instruments.yaml"
SUPPORTED_SCHEMA_VERSION = 1

type ItemNumber = int | str  # str only for sub-items such as the C-SSRS screener's "6a"
type AnswerValue = int | float
# Two members because Mapping is invariant in its key: dict[int, int] must type-check.
type Answers = Mapping[int, AnswerValue] | Mapping[ItemNumber, AnswerValue]
type ChangeLabel = Literal["improved", "recovered", "no reliable change", "deteriorated"]
type FlagStatus = Literal["triggered", "not answered"]
type ScoringMethod = Literal["sum", "sum_then_scale", "rule_based_triage"]

# The data's conventions header: op in [">=", ">", "<", "=="].
_OPERATORS: Mapping[str, Callable[[float, float], bool]] = MappingProxyType(
    {">=": operator.ge, ">": operator.gt, "<": operator.lt, "==": operator.eq}
)
_SCORING_METHODS: tuple[ScoringMethod, ...] = ("sum", "sum_then_scale", "rule_based_triage")

# change_thresholds kinds, grouped by what change_between does with them. PCL-5's
# reliable_response_minimum is the National Center for PTSD's minimum reliable change.
_RELIABLE_KINDS = frozenset(
    {"reliable_change", "reliable_improvement_nhs_talking_therapies", "reliable_response_minimum"}
)
_MEANINGFUL_KINDS = frozenset(
    {"minimal_clinically_important_difference", "clinically_meaningful", "meaningful_change"}
)
_RULE_KINDS = frozenset({"response", "remission", "clinically_significant"})
_NHS_KIND = "reliable_improvement_nhs_talking_therapies"

# The data has no direction field, so it is derived here, per instrument:
# - who5: bands_note "Higher is better" and scoring.percentage_score "(higher = better
#   well-being)";
# - ors: its lowest band is "Clinical range (adult)", below clinical_cutoffs.adult;
# - srs: its lowest band is "Below cut-off — discuss alliance with client".
# Every other instrument counts symptoms or problems and its highest band is its most
# severe label (PHQ-9 "Severe", AUDIT "Zone IV", C-SSRS has no total), so lower is better.
_HIGHER_IS_BETTER = frozenset({"who5", "ors", "srs"})

# Visual-analogue tenths and prorated means are binary floats; differences are rounded
# before they meet a threshold, so 25.3 - 20.3 counts as the 5 points it is.
_DECIMALS = 9

# The prose rules the engine acts on. Anything else in a `rule` is refused at load so that
# a new rule cannot be silently ignored.
_NUMBER = r"(\d+(?:\.\d+)?)"
_REMISSION_RE = re.compile(rf"^total (>=|>|<|==) {_NUMBER}$")
_RESPONSE_RE = re.compile(rf"^total decreases by >={_NUMBER}% from baseline$")
_SIGNIFICANT_RE = re.compile(rf"^reliable improvement and moving from >={_NUMBER} to <{_NUMBER}$")
_CASENESS_NOTE_RE = re.compile(rf"\bcaseness >={_NUMBER}")
_MULTIPLIER_RE = re.compile(r"^raw x (\d+)\b")
_PRORATION_MENTION_RE = re.compile(r"pro-?rat", re.IGNORECASE)
_PRORATION_RE = re.compile(
    r"at most (\d+) items? (?:is |are )?missing \(mean of answered items x (\d+)\)"
)
_SCALE_RE = re.compile(rf"^{_NUMBER}-{_NUMBER} cm\b")


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class ResponseOption:
    """One answer an item accepts; `label` is what the respondent sees."""

    value: int
    label: str
    loinc: str | None


@dataclass(frozen=True)
class ItemCondition:
    """`{item, op, value}`: one item's answer compared with a value."""

    item: ItemNumber
    op: str
    value: float


@dataclass(frozen=True)
class AnyItemCondition:
    """`{any_item: true, op, value}`: met when any scored item's answer passes the test."""

    op: str
    value: float


@dataclass(frozen=True)
class AllOf:
    """`{all_of: [...]}`: met when every part is met."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """`{any_of: [...]}`: met when any part is met."""

    conditions: tuple[Condition, ...]


type Condition = ItemCondition | AnyItemCondition | AllOf | AnyOf


@dataclass(frozen=True)
class Item:
    """One item. `display_text` is the instrument's own wording, or None where the licence
    does not let Tend show it (`license.text_included: false`); `construct` is the data's
    short label written by the compilers, safe to show either way."""

    n: ItemNumber
    display_text: str | None
    construct: str | None
    loinc: str | None
    options: tuple[ResponseOption, ...]
    # Visual-analogue items (ORS/SRS) have a line from `scale[0]` to `scale[1]` instead
    # of options.
    scale: tuple[float, float] | None
    scored: bool
    reverse: bool
    cluster: str | None
    skip_if: ItemCondition | None
    skip_score: int | None
    ask_if: ItemCondition | None

    @property
    def lowest(self) -> float:
        return self.scale[0] if self.scale else min(option.value for option in self.options)

    @property
    def highest(self) -> float:
        return self.scale[1] if self.scale else max(option.value for option in self.options)


@dataclass(frozen=True)
class Band:
    """A severity band: `min` to `upper`, inclusive unless the data used `max_exclusive`."""

    min: float
    upper: float
    upper_inclusive: bool
    label: str

    def includes(self, total: float) -> bool:
        if self.upper_inclusive:
            return self.min <= total <= self.upper
        return self.min <= total < self.upper


@dataclass(frozen=True)
class CriticalItem:
    """A `critical_items` or `alerts` entry: answers that route the form to a clinician."""

    id: str
    condition: Condition
    flag: str | None  # alerts (SRS) carry no flag
    action: str
    evidence: str | None


@dataclass(frozen=True)
class ChangeThreshold:
    """One `change_thresholds` row as written, with its evidence."""

    kind: str
    points: float | None
    rule: str | None
    evidence: str
    note: str | None


@dataclass(frozen=True)
class ChangeRules:
    """What `change_between` reads, parsed from change_thresholds and clinical_cutoffs."""

    reliable_points: float | None
    meaningful_points: float | None
    response_fraction: float | None  # "total decreases by >=50% from baseline" -> 0.5
    remission_test: tuple[str, float] | None  # "total < 5" -> ("<", 5)
    caseness_cutoff: float | None
    caseness_source: str | None  # the data field the cut-off was read from


@dataclass(frozen=True)
class ProvisionalRule:
    """`provisional_dsm5_rule`: enough endorsed symptoms in every cluster."""

    endorsed_op: str
    endorsed_value: float
    required: Mapping[str, int]


@dataclass(frozen=True)
class RiskRule:
    """One `risk_rules` row; the rules are tried top-down and the first match wins."""

    level: str
    condition: Condition | None  # None for the `default: true` row


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CriticalFlag:
    """A critical item (or alert) that needs a clinician: met, or its item unanswered."""

    id: str
    flag: str | None
    action: str
    status: FlagStatus


@dataclass(frozen=True)
class ProvisionalDiagnosis:
    """Result of a provisional-diagnosis rule; `met` is None while unanswered items could
    still decide it."""

    met: bool | None
    endorsed: Mapping[str, int]
    required: Mapping[str, int]


@dataclass(frozen=True)
class Score:
    """One administration scored. `total` is on the reporting scale the bands use (WHO-5:
    percentage); `raw_total` is before any multiplier."""

    instrument_id: str
    total: int | float | None
    raw_total: int | float | None
    band_label: str | None
    subscale_totals: Mapping[str, int | float | None]
    critical_flags: tuple[CriticalFlag, ...]
    alerts: tuple[CriticalFlag, ...]
    provisional_diagnosis: ProvisionalDiagnosis | None
    risk_level: str | None
    complete: bool
    prorated: bool
    missing_items: tuple[ItemNumber, ...]


@dataclass(frozen=True)
class Change:
    """Change in a total between administrations. Every judgement is None where the data
    gives no threshold for it; `reason` says why `label` is None."""

    instrument_id: str
    higher_is_better: bool
    from_baseline: float  # current - baseline
    from_previous: float | None  # current - previous
    improvement: float  # from_baseline, signed so that positive is better
    reliable_change_points: float | None
    reliable_improvement: bool | None
    reliable_deterioration: bool | None
    reliable_change_from_previous: bool | None
    caseness_cutoff: float | None
    case_at_baseline: bool | None
    case_now: bool | None
    # Reliable improvement from the clinical to the non-clinical range: Jacobson & Truax,
    # NHS Talking Therapies "reliable recovery", CORE-10 `clinically_significant`.
    clinically_significant: bool | None
    meaningful_change_points: float | None
    meaningful_change: bool | None
    response: bool | None
    remission: bool | None
    label: ChangeLabel | None
    reason: str | None
    thresholds: tuple[ChangeThreshold, ...]  # the data rows behind this, with evidence


class _Responses:
    """Answers as the rules see them: skipped follow-ups carry their skip score, items the
    form did not ask are known to be absent, and anything else unanswered is unknown."""

    def __init__(self, values: dict[ItemNumber, float], scored: tuple[ItemNumber, ...]):
        self.values = values
        self.not_asked: set[ItemNumber] = set()
        self.scored = scored

    def is_missing(self, n: ItemNumber) -> bool:
        return n not in self.values and n not in self.not_asked

    def holds(self, condition: Condition) -> bool | None:
        """True, False, or None when the outcome depends on an unanswered item."""
        match condition:
            case ItemCondition(item=n, op=op, value=value):
                if n in self.values:
                    return _OPERATORS[op](self.values[n], value)
                # An item the form did not ask (C-SSRS 3-5 after "no" to item 2) was not
                # endorsed; one it asked and got no answer to is unknown.
                return False if n in self.not_asked else None
            case AnyItemCondition(op=op, value=value):
                parts = [self.holds(ItemCondition(n, op, value)) for n in self.scored]
                return _any(parts)
            case AnyOf(conditions=conditions):
                return _any(self.holds(part) for part in conditions)
            case AllOf(conditions=conditions):
                return _all(self.holds(part) for part in conditions)


def _any(results: Iterable[bool | None]) -> bool | None:
    outcomes = list(results)
    if True in outcomes:
        return True
    return None if None in outcomes else False


def _all(results: Iterable[bool | None]) -> bool | None:
    outcomes = list(results)
    if False in outcomes:
        return False
    return None if None in outcomes else True


def _on_grid(value: float) -> bool:
    return abs(value - round(value)) < 1e-6


def _rounded(value: float) -> float:
    return round(value, _DECIMALS)


@dataclass(frozen=True)
class Instrument:
    """One instrument from data/instruments.yaml, validated."""

    id: str
    abbreviation: str
    name: str
    construct: str
    loinc_panel: str | None
    loinc_total: str | None
    loinc_unverified: tuple[str, ...]
    items: tuple[Item, ...]
    text_included: bool
    license_status: str
    license_statement: str
    required_citation: str | None
    why_text_withheld: str | None
    instructions: str | None
    stem: str | None
    scoring_method: ScoringMethod
    scored_items: tuple[ItemNumber, ...]
    score_range: tuple[float, float] | None  # on the reporting scale
    multiplier: int  # WHO-5 percentage_score "raw x 4"; 1 elsewhere
    precision: float | None  # visual-analogue scales: 0.1
    max_missing_for_proration: int | None
    subscales: Mapping[str, tuple[ItemNumber, ...]]
    bands: tuple[Band, ...]
    bands_by_sex: Mapping[str, tuple[Band, ...]]
    critical_items: tuple[CriticalItem, ...]
    alerts: tuple[CriticalItem, ...]
    provisional_rule: ProvisionalRule | None
    risk_rules: tuple[RiskRule, ...]
    change_thresholds: tuple[ChangeThreshold, ...]
    change_rules: ChangeRules
    higher_is_better: bool
    sources: tuple[str, ...]

    @property
    def has_total(self) -> bool:
        return self.score_range is not None

    @property
    def _units(self) -> int:
        # Answers are summed in whole units (tenths of a centimetre on ORS/SRS) so that
        # float addition cannot drift from the exact total.
        return round(1 / self.precision) if self.precision else 1

    def item(self, n: ItemNumber) -> Item:
        """The item numbered `n`; KeyError if there is none."""
        for item in self.items:
            if item.n == n and type(item.n) is type(n):
                return item
        raise KeyError(n)

    def band_for(self, total: float, *, sex: str | None = None) -> Band | None:
        """The band a total falls in. Instruments banded by sex (AUDIT-C) need `sex`
        ("male"/"female"), and give None without it."""
        if self.bands_by_sex:
            if sex is None:
                return None
            if sex not in self.bands_by_sex:
                raise ValueError(
                    f"{self.abbreviation} bands by sex {sorted(self.bands_by_sex)}, not {sex!r}"
                )
            bands = self.bands_by_sex[sex]
        else:
            bands = self.bands
        for band in bands:
            if band.includes(total):
                return band
        # Only a prorated total can fall between two integer bands (CORE-10 10.6 lies
        # between "Low level" 6-10 and "Mild" 11-14). It stays in the lower band: each
        # band's min is a cut-off the score must reach (CORE-10 screening_cutoff score_gte).
        reached = [band for band in bands if band.min <= total]
        return reached[-1] if reached else None

    def is_case(self, total: float) -> bool | None:
        """Whether a total is in the clinical range by the data's caseness cut-off."""
        cutoff = self.change_rules.caseness_cutoff
        if cutoff is None:
            return None
        # Symptom scales: a case scores at or above the cut-off (NHS "caseness >=10").
        # Higher-is-better scales: below it (ORS bands: clinical range is [0, 25)).
        return total < cutoff if self.higher_is_better else total >= cutoff

    def validate_total(self, total: float) -> int | float:
        """A total this instrument can produce, on its reporting scale; ValueError if not."""
        if isinstance(total, bool) or not isinstance(total, int | float):
            raise ValueError(f"{self.abbreviation}: a total must be a number, got {total!r}")
        if self.score_range is None:
            raise ValueError(
                f"{self.abbreviation} has no total score (scoring method "
                f"{self.scoring_method}); score its answers instead"
            )
        low, high = self.score_range
        if not (math.isfinite(total) and low <= total <= high):
            raise ValueError(f"{self.abbreviation}: total {total!r} is outside {low}-{high}")
        if self.max_missing_for_proration is not None:
            # A prorated total is a mean times the item count, so any value in range.
            return total
        steps = total * self._units / self.multiplier
        if not _on_grid(steps):
            step = self.multiplier / self._units
            raise ValueError(
                f"{self.abbreviation}: total {total!r} is not reachable (totals move in "
                f"steps of {step:g})"
            )
        return total if self.precision else round(total)

    def score(self, answers: Answers, *, sex: str | None = None) -> Score:
        """Score one administration from item answers keyed by item number.

        Raises ValueError naming the item for an unknown item or an answer the item does
        not accept. A missing scored item leaves the total None (unless the data allows
        prorating); a missing critical item is flagged "not answered", never read as 0.
        """
        responses = self._responses(answers)
        required = self.scored_items if self.has_total else tuple(i.n for i in self.items)
        missing = tuple(n for n in required if responses.is_missing(n))
        raw_total, prorated = self._raw_total(responses, missing)
        total = None if raw_total is None else raw_total * self.multiplier
        band = None if total is None else self.band_for(total, sex=sex)
        return Score(
            instrument_id=self.id,
            total=total,
            raw_total=raw_total,
            band_label=band.label if band else None,
            subscale_totals=MappingProxyType(
                {name: self._sum(responses, items) for name, items in self.subscales.items()}
            ),
            critical_flags=_flags(self.critical_items, responses),
            alerts=_flags(self.alerts, responses),
            provisional_diagnosis=self._provisional(responses),
            risk_level=self._risk_level(responses),
            complete=not missing,
            prorated=prorated,
            missing_items=missing,
        )

    def score_total(self, total: float, *, sex: str | None = None) -> Score:
        """Band a total reported without item answers (a paper form, a licensed platform).

        Critical items cannot be judged from a total, so each is flagged "not answered".
        """
        checked = self.validate_total(total)
        nothing = self._responses({})
        band = self.band_for(checked, sex=sex)
        return Score(
            instrument_id=self.id,
            total=checked,
            raw_total=checked if self.multiplier == 1 else round(checked / self.multiplier),
            band_label=band.label if band else None,
            subscale_totals=MappingProxyType(dict.fromkeys(self.subscales)),
            critical_flags=_flags(self.critical_items, nothing),
            alerts=_flags(self.alerts, nothing),
            provisional_diagnosis=self._provisional(nothing),
            risk_level=None,
            complete=True,
            prorated=False,
            missing_items=(),
        )

    def _responses(self, answers: Answers) -> _Responses:
        given: dict[ItemNumber, float] = {}
        for n, value in answers.items():
            try:
                item = self.item(n)
            except KeyError:
                numbers = ", ".join(str(i.n) for i in self.items)
                raise ValueError(
                    f"{self.abbreviation}: there is no item {n!r} (items: {numbers})"
                ) from None
            given[item.n] = self._accepted(item, value)
        responses = _Responses(given, self.scored_items)
        # Data order: a gate (skip_if / ask_if) always names an earlier item (checked at
        # load), so it is settled before the item it gates.
        for item in self.items:
            if item.n in given:
                continue
            if item.skip_if is not None and item.skip_score is not None:
                # K10: "Skipped follow-up items score 1" (scoring.note, skip_score).
                if responses.holds(item.skip_if) is True:
                    responses.values[item.n] = item.skip_score
            elif item.ask_if is not None and responses.holds(item.ask_if) is False:
                responses.not_asked.add(item.n)
        return responses

    def _accepted(self, item: Item, value: AnswerValue) -> float:
        where = f"{self.abbreviation} item {item.n}"
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValueError(f"{where}: an answer must be a number, got {value!r}")
        if item.scale is None:
            for option in item.options:
                if value == option.value:
                    return option.value
            accepted = ", ".join(str(option.value) for option in item.options)
            raise ValueError(f"{where}: {value!r} is not one of its answers ({accepted})")
        low, high = item.scale
        if not (low <= value <= high and _on_grid(value * self._units)):
            raise ValueError(
                f"{where}: {value!r} is not a mark from {low:g} to {high:g} "
                f"in steps of {self.precision:g}"
            )
        return value

    def _units_of(self, n: ItemNumber, value: float) -> int:
        item = self.item(n)
        units = round(value * self._units)
        if item.reverse:
            # Reverse keying mirrors the answer within the item's own range: CORE-10
            # items 2-3 score 4 - answer, DAST-10 item 3 scores 1 for "No".
            return round((item.lowest + item.highest) * self._units) - units
        return units

    def _points(self, units: int) -> int | float:
        return units if self._units == 1 else units / self._units

    def _sum(self, responses: _Responses, items: tuple[ItemNumber, ...]) -> int | float | None:
        if any(n not in responses.values for n in items):
            return None
        return self._points(sum(self._units_of(n, responses.values[n]) for n in items))

    def _raw_total(
        self, responses: _Responses, missing: tuple[ItemNumber, ...]
    ) -> tuple[int | float | None, bool]:
        if not self.has_total:
            return None, False
        if not missing:
            return self._sum(responses, self.scored_items), False
        if self.max_missing_for_proration is None or len(missing) > self.max_missing_for_proration:
            return None, False
        # scoring.missing_data (CORE-10): "mean of answered items x <item count>".
        answered = [n for n in self.scored_items if n in responses.values]
        units = sum(self._units_of(n, responses.values[n]) for n in answered)
        return units / self._units / len(answered) * len(self.scored_items), True

    def _provisional(self, responses: _Responses) -> ProvisionalDiagnosis | None:
        rule = self.provisional_rule
        if rule is None:
            return None
        endorsed: dict[str, int] = {}
        undecided = False
        failed = False
        for cluster, needed in rule.required.items():
            numbers = [item.n for item in self.items if item.cluster == cluster]
            tests = [
                responses.holds(ItemCondition(n, rule.endorsed_op, rule.endorsed_value))
                for n in numbers
            ]
            endorsed[cluster] = tests.count(True)
            if endorsed[cluster] + tests.count(None) < needed:
                failed = True
            elif endorsed[cluster] < needed:
                undecided = True
        met = False if failed else (None if undecided else True)
        return ProvisionalDiagnosis(
            met=met, endorsed=MappingProxyType(endorsed), required=rule.required
        )

    def _risk_level(self, responses: _Responses) -> str | None:
        for rule in self.risk_rules:
            if rule.condition is None:
                return rule.level
            outcome = responses.holds(rule.condition)
            if outcome is True:
                return rule.level
            if outcome is None:
                # An unanswered item could still put the respondent at this level, so no
                # lower level may be reported.
                return None
        return None


def _flags(rules: tuple[CriticalItem, ...], responses: _Responses) -> tuple[CriticalFlag, ...]:
    flags: list[CriticalFlag] = []
    for rule in rules:
        outcome = responses.holds(rule.condition)
        if outcome is False:
            continue
        status: FlagStatus = "triggered" if outcome else "not answered"
        flags.append(CriticalFlag(id=rule.id, flag=rule.flag, action=rule.action, status=status))
    return tuple(flags)


# --------------------------------------------------------------------------- change


def change_between(
    instrument: Instrument, baseline: float, previous: float | None, current: float
) -> Change:
    """Change in an instrument's total from baseline, and from the previous administration.

    Reliable change, recovery, response and remission are judged only where the data gives
    the threshold or rule; otherwise they are None and, for `label`, `reason` says why.
    Raises ValueError for a total the instrument cannot produce.
    """
    baseline = instrument.validate_total(baseline)
    current = instrument.validate_total(current)
    if previous is not None:
        previous = instrument.validate_total(previous)
    rules = instrument.change_rules
    from_baseline = _rounded(current - baseline)
    from_previous = None if previous is None else _rounded(current - previous)
    improvement = from_baseline if instrument.higher_is_better else _rounded(baseline - current)

    reliable_improvement = reliable_deterioration = reliable_from_previous = None
    if rules.reliable_points is not None:
        # `points` is the smallest change that counts (NHS manual: "reliable change >=6").
        reliable_improvement = improvement >= rules.reliable_points
        reliable_deterioration = -improvement >= rules.reliable_points
        if from_previous is not None:
            reliable_from_previous = abs(from_previous) >= rules.reliable_points

    case_at_baseline = instrument.is_case(baseline)
    case_now = instrument.is_case(current)
    clinically_significant = None
    if reliable_improvement is not None and case_at_baseline is not None:
        clinically_significant = reliable_improvement and case_at_baseline and not case_now

    meaningful = None
    if rules.meaningful_points is not None:
        meaningful = abs(from_baseline) >= rules.meaningful_points

    response = None
    if rules.response_fraction is not None and baseline > 0:
        # A baseline of 0 cannot halve, so response stays undetermined there.
        response = _rounded(baseline - current) >= _rounded(rules.response_fraction * baseline)

    remission = None
    if rules.remission_test is not None:
        op, value = rules.remission_test
        remission = _OPERATORS[op](current, value)

    label: ChangeLabel | None
    reason = None
    if reliable_improvement is None:
        label = None
        reason = f"The data gives no reliable-change threshold for {instrument.abbreviation}"
        if rules.meaningful_points is not None:
            reason += (
                f"; its meaningful-change size ({rules.meaningful_points:g} points) is "
                "not a reliable-change index"
            )
        reason += "."
    elif reliable_improvement:
        label = "recovered" if clinically_significant else "improved"
    elif reliable_deterioration:
        label = "deteriorated"
    else:
        label = "no reliable change"

    return Change(
        instrument_id=instrument.id,
        higher_is_better=instrument.higher_is_better,
        from_baseline=from_baseline,
        from_previous=from_previous,
        improvement=improvement,
        reliable_change_points=rules.reliable_points,
        reliable_improvement=reliable_improvement,
        reliable_deterioration=reliable_deterioration,
        reliable_change_from_previous=reliable_from_previous,
        caseness_cutoff=rules.caseness_cutoff,
        case_at_baseline=case_at_baseline,
        case_now=case_now,
        clinically_significant=clinically_significant,
        meaningful_change_points=rules.meaningful_points,
        meaningful_change=meaningful,
        response=response,
        remission=remission,
        label=label,
        reason=reason,
        thresholds=instrument.change_thresholds,
    )


# --------------------------------------------------------------------------- loading


def _mapping(value: Any, where: str, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: {name} must be a mapping, got {value!r}")
    return value


def _list(value: Any, where: str, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: {name} must be a list, got {value!r}")
    return value


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {name} must be non-empty text, got {value!r}")
    return value.strip()


def _optional_text(value: Any, where: str, name: str) -> str | None:
    return None if value is None else _text(value, where, name)


def _number(value: Any, where: str, name: str) -> int | float:
    # bool is an int in Python; `value: yes` is a typo, not a number.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: {name} must be a number, got {value!r}")
    return value


def _whole(value: Any, where: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: {name} must be a whole number, got {value!r}")
    return value


def _flag(value: Any, where: str, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}: {name} must be true or false, got {value!r}")
    return value


def _numeral(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _item_number(value: Any, where: str) -> ItemNumber:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{where}: an item number must be a number or text, got {value!r}")
    return value


def _range(value: Any, where: str, name: str) -> tuple[float, float]:
    pair = _list(value, where, name)
    if len(pair) != 2:
        raise ValueError(f"{where}: {name} must be [low, high], got {value!r}")
    low, high = (_number(end, where, name) for end in pair)
    if low >= high:
        raise ValueError(f"{where}: {name} must be [low, high], got {value!r}")
    return low, high


def _options(value: Any, where: str) -> tuple[ResponseOption, ...]:
    options = []
    for index, raw in enumerate(_list(value, where, "options")):
        here = f"{where} option {index + 1}"
        entry = _mapping(raw, here, "option")
        # `label` marks generic words written by the compilers (K10, CORE-10) rather than
        # instrument text; both are shown as the option's label.
        label = entry.get("text", entry.get("label"))
        options.append(
            ResponseOption(
                value=_whole(entry.get("value"), here, "value"),
                label=_text(label, here, "text"),
                loinc=_optional_text(entry.get("loinc"), here, "loinc"),
            )
        )
    values = [option.value for option in options]
    if not options or len(set(values)) != len(values):
        raise ValueError(f"{where}: options must be non-empty with distinct values, got {values}")
    return tuple(options)


def _operator(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in _OPERATORS:
        raise ValueError(f"{where}: op must be one of {list(_OPERATORS)}, got {value!r}")
    return value


def _condition(value: Any, where: str, numbers: Iterable[ItemNumber]) -> Condition:
    entry = _mapping(value, where, "condition")
    known = list(numbers)
    for key, combine in (("all_of", AllOf), ("any_of", AnyOf)):
        if key in entry:
            parts = tuple(_condition(part, where, known) for part in _list(entry[key], where, key))
            if not parts:
                raise ValueError(f"{where}: {key} must not be empty")
            return combine(parts)
    op = _operator(entry.get("op"), where)
    threshold = _number(entry.get("value"), where, "value")
    if entry.get("any_item") is True:
        return AnyItemCondition(op=op, value=threshold)
    n = _item_number(entry.get("item"), where)
    if not any(n == k and type(n) is type(k) for k in known):
        raise ValueError(f"{where}: condition names item {n!r}, which is not on the form")
    return ItemCondition(item=n, op=op, value=threshold)


def _item_condition(value: Any, where: str, earlier: list[ItemNumber]) -> ItemCondition:
    condition = _condition(value, where, earlier)
    if not isinstance(condition, ItemCondition):
        raise ValueError(f"{where}: a skip_if/ask_if gate must test a single earlier item")
    return condition


def _parse_item(
    raw: Any,
    where: str,
    *,
    response_sets: Mapping[str, tuple[ResponseOption, ...]],
    text_included: bool,
    scored_numbers: tuple[ItemNumber, ...],
    earlier: list[ItemNumber],
) -> Item:
    entry = _mapping(raw, where, "item")
    n = _item_number(entry.get("n"), where)
    here = f"{where} item {n}"
    text = _optional_text(entry.get("text"), here, "text")
    if text_included and text is None:
        raise ValueError(f"{here}: license.text_included is true but the item has no text")
    if not text_included and text is not None:
        raise ValueError(f"{here}: carries item text but license.text_included is false")

    kinds = [key for key in ("response_set", "options", "scale") if key in entry]
    if len(kinds) != 1:
        raise ValueError(f"{here}: needs exactly one of response_set, options or scale")
    options: tuple[ResponseOption, ...] = ()
    scale = None
    if kinds == ["response_set"]:
        name = entry["response_set"]
        if name not in response_sets:
            raise ValueError(f"{here}: unknown response_set {name!r}")
        options = response_sets[name]
    elif kinds == ["options"]:
        options = _options(entry["options"], here)
    else:
        match = _SCALE_RE.match(_text(entry["scale"], here, "scale"))
        if match is None:
            raise ValueError(f"{here}: scale must start '<low>-<high> cm', got {entry['scale']!r}")
        scale = (_numeral(match[1]), _numeral(match[2]))

    scored = n in scored_numbers
    if "scored" in entry and _flag(entry["scored"], here, "scored") != scored:
        raise ValueError(f"{here}: `scored` disagrees with scoring.items")

    skip_if = ask_if = None
    skip_score = None
    if "skip_if" in entry:
        skip_if = _item_condition(entry["skip_if"], f"{here} skip_if", earlier)
        skip_score = _whole(entry.get("skip_score"), here, "skip_score")
        if skip_score not in {option.value for option in options}:
            raise ValueError(f"{here}: skip_score {skip_score} is not one of its answers")
    if "ask_if" in entry:
        ask_if = _item_condition(entry["ask_if"], f"{here} ask_if", earlier)
        if scored:
            raise ValueError(f"{here}: a scored item cannot be left unasked (ask_if)")

    return Item(
        n=n,
        display_text=text,
        construct=_optional_text(entry.get("construct"), here, "construct"),
        loinc=_optional_text(entry.get("loinc"), here, "loinc"),
        options=options,
        scale=scale,
        scored=scored,
        reverse=_flag(entry.get("reverse", False), here, "reverse"),
        cluster=_optional_text(entry.get("cluster"), here, "cluster"),
        skip_if=skip_if,
        skip_score=skip_score,
        ask_if=ask_if,
    )


def _bands(
    value: Any, where: str, score_range: tuple[float, float], scaled: bool
) -> tuple[Band, ...]:
    bands = []
    for index, raw in enumerate(_list(value, where, "bands")):
        here = f"{where}[{index}]"
        entry = _mapping(raw, here, "band")
        if ("max" in entry) == ("max_exclusive" in entry):
            raise ValueError(f"{here}: needs exactly one of max or max_exclusive")
        inclusive = "max" in entry
        band = Band(
            min=_number(entry.get("min"), here, "min"),
            upper=_number(entry["max" if inclusive else "max_exclusive"], here, "max"),
            upper_inclusive=inclusive,
            label=_text(entry.get("label"), here, "label"),
        )
        if band.upper < band.min or (band.upper == band.min and not inclusive):
            raise ValueError(f"{here}: band {band.label!r} is empty")
        if "scale" in entry and not (entry["scale"] == "percentage" and scaled):
            raise ValueError(f"{here}: scale {entry['scale']!r} does not match scoring")
        bands.append(band)
    if not bands:
        raise ValueError(f"{where}: must not be empty")
    low, high = score_range
    if bands[0].min != low:
        raise ValueError(f"{where}: bands start at {bands[0].min}, the score range at {low}")
    for below, above in itertools.pairwise(bands):
        # Inclusive integer bands meet at max + 1; visual-analogue bands at max_exclusive.
        expected = below.upper + 1 if below.upper_inclusive else below.upper
        if above.min != expected:
            raise ValueError(
                f"{where}: band {above.label!r} starts at {above.min:g}; after "
                f"{below.label!r} it must start at {expected:g}"
            )
    if not (bands[-1].upper_inclusive and bands[-1].upper == high):
        raise ValueError(f"{where}: the last band must end at the score range's top ({high:g})")
    return tuple(bands)


def _referenced(condition: Condition, scored: tuple[ItemNumber, ...]) -> set[ItemNumber]:
    match condition:
        case ItemCondition(item=n):
            return {n}
        case AnyItemCondition():
            return set(scored)
        case AllOf(conditions=parts) | AnyOf(conditions=parts):
            return set().union(*(_referenced(part, scored) for part in parts))


def _critical_items(
    value: Any, where: str, numbers: list[ItemNumber], *, flag_required: bool
) -> tuple[CriticalItem, ...]:
    rules = []
    for index, raw in enumerate(_list(value, where, "entries")):
        here = f"{where}[{index}]"
        entry = _mapping(raw, here, "entry")
        flag = entry.get("flag")
        rules.append(
            CriticalItem(
                id=_text(entry.get("id"), here, "id"),
                condition=_condition(entry.get("condition"), here, numbers),
                flag=_text(flag, here, "flag")
                if flag_required
                else _optional_text(flag, here, "flag"),
                action=_text(entry.get("action"), here, "action"),
                evidence=_optional_text(entry.get("evidence"), here, "evidence"),
            )
        )
    return tuple(rules)


def _change(
    raw: Mapping[str, Any], where: str, *, scaled: bool
) -> tuple[tuple[ChangeThreshold, ...], ChangeRules]:
    rows = []
    numbers: dict[str, Any] = {}
    caseness: list[tuple[float, str]] = []
    for index, value in enumerate(
        _list(raw.get("change_thresholds", []), where, "change_thresholds")
    ):
        here = f"{where} change_thresholds[{index}]"
        entry = _mapping(value, here, "entry")
        kind = _text(entry.get("kind"), here, "kind")
        row = ChangeThreshold(
            kind=kind,
            points=_number(entry["points"], here, "points") if "points" in entry else None,
            rule=_optional_text(entry.get("rule"), here, "rule"),
            evidence=_text(entry.get("evidence"), here, "evidence"),
            note=_optional_text(entry.get("note"), here, "note"),
        )
        if "scale" in entry and not (entry["scale"] == "percentage" and scaled):
            raise ValueError(f"{here}: scale {entry['scale']!r} does not match scoring")
        if kind in _RELIABLE_KINDS or kind in _MEANINGFUL_KINDS:
            group = "reliable" if kind in _RELIABLE_KINDS else "meaningful"
            if row.points is None or row.points <= 0:
                raise ValueError(f"{here}: {kind} needs points > 0")
            parsed: Any = row.points
        elif kind in _RULE_KINDS:
            group = kind
            parsed = _parse_rule(kind, row.rule, here)
        else:
            raise ValueError(f"{here}: unknown kind {kind!r}; the engine would ignore it")
        if group in numbers:
            raise ValueError(f"{here}: a second {group} threshold; the engine needs exactly one")
        numbers[group] = parsed
        if kind == "clinically_significant":
            caseness.append((parsed, f"change_thresholds[{index}].rule"))
        if kind == _NHS_KIND and row.note and (match := _CASENESS_NOTE_RE.search(row.note)):
            caseness.append((_numeral(match[1]), f"change_thresholds[{index}].note"))
        rows.append(row)
    if "clinical_cutoffs" in raw:
        # The engine has no age, so it uses the adult cut-off; clinical_cutoffs also lists
        # adolescent and child cut-offs for ORS.
        cutoffs = _mapping(raw["clinical_cutoffs"], where, "clinical_cutoffs")
        caseness.append(
            (
                _number(cutoffs.get("adult"), where, "clinical_cutoffs.adult"),
                "clinical_cutoffs.adult",
            )
        )
    if len({cutoff for cutoff, _ in caseness}) > 1:
        raise ValueError(f"{where}: caseness cut-offs disagree: {caseness}")
    return tuple(rows), ChangeRules(
        reliable_points=numbers.get("reliable"),
        meaningful_points=numbers.get("meaningful"),
        response_fraction=numbers.get("response"),
        remission_test=numbers.get("remission"),
        caseness_cutoff=caseness[0][0] if caseness else None,
        caseness_source=caseness[0][1] if caseness else None,
    )


def _parse_rule(kind: str, rule: str | None, where: str) -> Any:
    patterns = {
        "response": _RESPONSE_RE,
        "remission": _REMISSION_RE,
        "clinically_significant": _SIGNIFICANT_RE,
    }
    match = patterns[kind].match(rule or "")
    if match is None:
        raise ValueError(f"{where}: cannot read the {kind} rule {rule!r}")
    if kind == "response":
        return _numeral(match[1]) / 100
    if kind == "remission":
        return (match[1], _numeral(match[2]))
    entering, leaving = _numeral(match[1]), _numeral(match[2])
    if entering != leaving:
        raise ValueError(f"{where}: the rule's two cut-offs differ ({entering}, {leaving})")
    return entering


def _parse_instrument(
    raw: Any, index: int, response_sets: Mapping[str, tuple[ResponseOption, ...]]
) -> Instrument:
    entry = _mapping(raw, f"instruments[{index}]", "instrument")
    instrument_id = _text(entry.get("id"), f"instruments[{index}]", "id")
    where = f"instrument {instrument_id!r}"
    abbreviation = _text(entry.get("abbreviation"), where, "abbreviation")
    licence = _mapping(entry.get("license"), where, "license")
    text_included = _flag(licence.get("text_included"), where, "license.text_included")
    status = _text(licence.get("status"), where, "license.status")
    statement = _text(licence.get("statement"), where, "license.statement")
    loinc = _mapping(entry.get("loinc"), where, "loinc")

    scoring = _mapping(entry.get("scoring"), where, "scoring")
    method = scoring.get("method")
    if method not in _SCORING_METHODS:
        raise ValueError(
            f"{where}: scoring.method must be one of {_SCORING_METHODS}, got {method!r}"
        )
    scored_numbers: tuple[ItemNumber, ...] = ()
    if method != "rule_based_triage":
        scored_numbers = tuple(
            _item_number(n, where) for n in _list(scoring.get("items"), where, "scoring.items")
        )
        if not scored_numbers or len(set(scored_numbers)) != len(scored_numbers):
            raise ValueError(f"{where}: scoring.items must be non-empty and distinct")

    items: list[Item] = []
    for raw_item in _list(entry.get("items"), where, "items"):
        items.append(
            _parse_item(
                raw_item,
                where,
                response_sets=response_sets,
                text_included=text_included,
                scored_numbers=scored_numbers,
                earlier=[item.n for item in items],
            )
        )
    numbers = [item.n for item in items]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"{where}: item numbers repeat: {numbers}")
    unknown = [n for n in scored_numbers if n not in numbers]
    if unknown:
        raise ValueError(f"{where}: scoring.items names items not on the form: {unknown}")
    if scored_numbers:
        item_count = _whole(entry.get("item_count"), where, "item_count")
        extra = _whole(entry.get("extra_unscored_items", 0), where, "extra_unscored_items")
        if (len(scored_numbers), len(items)) != (item_count, item_count + extra):
            raise ValueError(
                f"{where}: item_count {item_count} (+{extra} unscored) disagrees with "
                f"{len(scored_numbers)} scored of {len(items)} items"
            )
    by_number = {item.n: item for item in items}
    scored_items = [by_number[n] for n in scored_numbers]

    if "reverse_items" in scoring:
        listed = set(_list(scoring["reverse_items"], where, "scoring.reverse_items"))
        if listed != {item.n for item in items if item.reverse}:
            raise ValueError(
                f"{where}: scoring.reverse_items disagrees with the items' reverse flags"
            )

    is_scale = any(item.scale for item in items)
    precision = None
    if is_scale:
        precision = _number(scoring.get("precision"), where, "scoring.precision")
        if precision <= 0 or not _on_grid(1 / precision):
            raise ValueError(f"{where}: scoring.precision must divide 1, got {precision!r}")

    multiplier = 1
    score_range = None
    if scored_numbers:
        range_key = "raw_range" if method == "sum_then_scale" else "range"
        declared = _range(scoring.get(range_key), where, f"scoring.{range_key}")
        computed = (
            sum(item.lowest for item in scored_items),
            sum(item.highest for item in scored_items),
        )
        if declared != computed:
            raise ValueError(
                f"{where}: scoring.{range_key} {list(declared)} disagrees with the items' "
                f"answers, which sum to {list(computed)}"
            )
        if method == "sum_then_scale":
            match = _MULTIPLIER_RE.match(
                _text(scoring.get("percentage_score"), where, "scoring.percentage_score")
            )
            if match is None:
                raise ValueError(f"{where}: scoring.percentage_score must start 'raw x <n>'")
            multiplier = int(match[1])
        score_range = (declared[0] * multiplier, declared[1] * multiplier)

    max_missing = None
    missing_data = _optional_text(scoring.get("missing_data"), where, "scoring.missing_data")
    if missing_data and _PRORATION_MENTION_RE.search(missing_data):
        match = _PRORATION_RE.search(missing_data)
        if match is None or int(match[2]) != len(scored_numbers):
            raise ValueError(f"{where}: cannot read the pro-rating rule {missing_data!r}")
        max_missing = int(match[1])

    subscales = {}
    for name, listed_items in _mapping(
        scoring.get("subscales", {}), where, "scoring.subscales"
    ).items():
        members = tuple(_list(listed_items, where, f"scoring.subscales.{name}"))
        if not members or any(n not in scored_numbers for n in members):
            raise ValueError(f"{where}: subscale {name!r} must list scored items, got {members}")
        subscales[name] = members

    bands: tuple[Band, ...] = ()
    bands_by_sex: dict[str, tuple[Band, ...]] = {}
    if score_range is not None:
        scaled = method == "sum_then_scale"
        if ("bands" in entry) == ("bands_by_sex" in entry):
            raise ValueError(f"{where}: needs exactly one of bands or bands_by_sex")
        if "bands" in entry:
            bands = _bands(entry["bands"], f"{where} bands", score_range, scaled)
        else:
            for sex, sex_bands in _mapping(entry["bands_by_sex"], where, "bands_by_sex").items():
                bands_by_sex[sex] = _bands(
                    sex_bands, f"{where} bands_by_sex.{sex}", score_range, scaled
                )

    critical_items = _critical_items(
        entry.get("critical_items", []), f"{where} critical_items", numbers, flag_required=True
    )
    alerts = _critical_items(
        entry.get("alerts", []), f"{where} alerts", numbers, flag_required=False
    )
    rule_ids = [rule.id for rule in critical_items + alerts]
    if len(set(rule_ids)) != len(rule_ids):
        raise ValueError(f"{where}: critical item and alert ids repeat: {rule_ids}")
    watched = set().union(*(_referenced(rule.condition, scored_numbers) for rule in critical_items))
    for raw_item in entry["items"]:
        if raw_item.get("risk_item") is True and raw_item["n"] not in watched:
            raise ValueError(f"{where}: risk item {raw_item['n']} has no critical_items entry")

    provisional_rule = None
    if "provisional_dsm5_rule" in entry:
        here = f"{where} provisional_dsm5_rule"
        rule = _mapping(entry["provisional_dsm5_rule"], here, "rule")
        endorsed = _mapping(rule.get("symptom_endorsed_if"), here, "symptom_endorsed_if")
        required = {
            cluster: _whole(count, here, f"require.{cluster}")
            for cluster, count in _mapping(rule.get("require"), here, "require").items()
        }
        for cluster, count in required.items():
            size = sum(1 for item in items if item.cluster == cluster)
            if not 0 < count <= size:
                raise ValueError(f"{here}: cluster {cluster!r} has {size} items, needs {count}")
        provisional_rule = ProvisionalRule(
            endorsed_op=_operator(endorsed.get("op"), here),
            endorsed_value=_number(endorsed.get("value"), here, "value"),
            required=MappingProxyType(required),
        )

    risk_rules = []
    if method == "rule_based_triage":
        for position, raw_rule in enumerate(_list(entry.get("risk_rules"), where, "risk_rules")):
            here = f"{where} risk_rules[{position}]"
            rule = _mapping(raw_rule, here, "rule")
            is_default = rule.get("default") is True
            risk_rules.append(
                RiskRule(
                    level=_text(rule.get("level"), here, "level"),
                    condition=None if is_default else _condition(rule, here, numbers),
                )
            )
        defaults = [position for position, rule in enumerate(risk_rules) if rule.condition is None]
        if defaults != [len(risk_rules) - 1]:
            raise ValueError(f"{where}: risk_rules must end with exactly one default row")

    change_thresholds, change_rules = _change(entry, where, scaled=method == "sum_then_scale")

    unverified = loinc.get("unverified", [])
    return Instrument(
        id=instrument_id,
        abbreviation=abbreviation,
        name=_text(entry.get("name"), where, "name"),
        construct=_text(entry.get("construct"), where, "construct"),
        loinc_panel=_optional_text(loinc.get("panel"), where, "loinc.panel"),
        loinc_total=_optional_text(loinc.get("total_score"), where, "loinc.total_score"),
        loinc_unverified=tuple(_text(code, where, "loinc.unverified") for code in unverified),
        items=tuple(items),
        text_included=text_included,
        license_status=status,
        license_statement=statement,
        required_citation=_optional_text(
            licence.get("required_citation"), where, "required_citation"
        ),
        why_text_withheld=None
        if text_included
        else (
            f"{abbreviation} item wording is not shown (licence: "
            f"{status.replace('_', ' ')}). {statement}"
        ),
        instructions=_instrument_wording(entry, "instructions", where, text_included),
        stem=_instrument_wording(entry, "stem", where, text_included),
        scoring_method=method,
        scored_items=scored_numbers,
        score_range=score_range,
        multiplier=multiplier,
        precision=precision,
        max_missing_for_proration=max_missing,
        subscales=MappingProxyType(subscales),
        bands=bands,
        bands_by_sex=MappingProxyType(bands_by_sex),
        critical_items=critical_items,
        alerts=alerts,
        provisional_rule=provisional_rule,
        risk_rules=tuple(risk_rules),
        change_thresholds=change_thresholds,
        change_rules=change_rules,
        higher_is_better=instrument_id in _HIGHER_IS_BETTER,
        sources=tuple(
            _text(source, where, "sources")
            for source in _list(entry.get("sources"), where, "sources")
        ),
    )


def _instrument_wording(
    entry: Mapping[str, Any], key: str, where: str, text_included: bool
) -> str | None:
    # Instructions and stems are instrument wording too: shown only under the same licence.
    text = _optional_text(entry.get(key), where, key)
    if text is not None and not text_included:
        raise ValueError(f"{where}: carries {key} but license.text_included is false")
    return text


def _parse(document: Any) -> Mapping[str, Instrument]:
    root = _mapping(document, "instruments file", "document")
    if root.get("schema_version") != SUPPORTED_SCHEMA_VERSION:
        raise ValueError(
            f"instruments file: schema_version must be {SUPPORTED_SCHEMA_VERSION}, "
            f"got {root.get('schema_version')!r}"
        )
    response_sets = {
        name: _options(options, f"response set {name!r}")
        for name, options in _mapping(
            root.get("response_sets"), "instruments file", "response_sets"
        ).items()
    }
    instruments: dict[str, Instrument] = {}
    for index, raw in enumerate(_list(root.get("instruments"), "instruments file", "instruments")):
        instrument = _parse_instrument(raw, index, response_sets)
        if instrument.id in instruments:
            raise ValueError(f"instrument {instrument.id!r}: the id appears twice")
        instruments[instrument.id] = instrument
    return MappingProxyType(instruments)


def _read(path: Path) -> Mapping[str, Instrument]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from error
    try:
        return _parse(document)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error


@functools.cache
def _read_default() -> Mapping[str, Instrument]:
    return _read(DEFAULT_PATH)


def load_instruments(path: Path | None = None) -> dict[str, Instrument]:
    """Every instrument in the file by id, validated; ValueError naming the instrument if
    a definition is malformed. The default file is read once per process."""
    return dict(_read_default() if path is None else _read(path))
