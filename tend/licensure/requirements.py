"""Licensure requirements (read from data/licensure/requirements.yaml) and progress toward them.

Pure Python, no Django models: the supervision/licensure feature feeds it hour totals
from the ledger and renders what it returns. Every number a rule is measured against
comes from the data file; where a row has no number the engine says "not stated in the
data" instead of guessing, and where a row states a rule only as text the text is carried
through untouched.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from dateutil.relativedelta import relativedelta

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "licensure" / "requirements.yaml"
SUPPORTED_SCHEMA_VERSION = 1
LICENSE_FAMILIES = ("counselor", "social_work", "mft", "psychology")
CONFIDENCE_LEVELS = ("high", "medium", "low")
NOT_STATED = "not stated in the data"
# The projection uses the pace of the trailing eight weeks: long enough to smooth a week
# off, short enough to follow a change of caseload.
PACE_WEEKS = 8

_STATE_RE = re.compile(r"^[A-Z]{2}$")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_AS_OF_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Exam:
    """One exam from the catalogue (`exams[]`)."""

    code: str
    name: str
    body: str
    used_for: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class Compact:
    """One interstate compact (`compacts[]`); membership lists are as sourced."""

    code: str
    name: str
    administrator: str | None
    licenses_covered: tuple[str, ...]
    status: str
    status_detail: str
    members_in_scope: tuple[str, ...]
    not_members_in_scope: tuple[str, ...]
    members_sourced: tuple[str, ...]
    members_note: str
    sources: tuple[str, ...]
    as_of: str | None


@dataclass(frozen=True)
class ExamChoice:
    """One exam requirement; several codes ("A|B" in the data) mean any one of them."""

    codes: tuple[str, ...]
    # The catalogue's names of the codes, in the same order (presentation, not identity).
    names: tuple[str, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        return " or ".join(self.codes)

    @property
    def title(self) -> str:
        """E.g. "National Counselor Examination or National Clinical Mental Health …"."""
        return " or ".join(self.names) if self.names else self.label

    def is_satisfied_by(self, passed: Collection[str]) -> bool:
        return any(code in passed for code in self.codes)


@dataclass(frozen=True)
class Requirement:
    """One `requirements[]` row: a state's path from associate to independent license."""

    state: str
    license_family: str
    license_title: str
    associate_title: str | None
    degree: str
    total_hours: int | None
    direct_client_hours: int | None
    supervision_hours: int | None
    supervision_individual_hours: int | None
    supervision_group_max_hours: int | None
    supervision_ratio: str | None
    postdoctoral_hours: int | None
    min_months: int | None
    max_months: int | None
    exams: tuple[ExamChoice, ...]
    associate_exams: tuple[ExamChoice, ...]
    compacts: tuple[str, ...]
    board: str
    board_url: str
    sources: tuple[str, ...]
    as_of: str | None
    confidence: str
    unverified_fields: tuple[str, ...]
    notes: str

    @property
    def provenance(self) -> str:
        as_of = f"as of {self.as_of}" if self.as_of else "as of an undated source"
        return f"Source: {self.board}, {as_of}, confidence: {self.confidence}"

    @property
    def is_low_confidence(self) -> bool:
        return self.confidence == "low"

    def is_unverified(self, field_name: str) -> bool:
        """True when the data marks this field as a placeholder (`unverified_fields`)."""
        return field_name in self.unverified_fields


@dataclass(frozen=True)
class RequirementsData:
    """The whole file, validated."""

    schema_version: int
    compiled: str
    exams: Mapping[str, Exam]
    compacts: Mapping[str, Compact]
    requirements: tuple[Requirement, ...]


_ROW_FIELDS = tuple(f.name for f in fields(Requirement))
_HOUR_FIELDS = (
    "total_hours",
    "direct_client_hours",
    "supervision_hours",
    "supervision_individual_hours",
    "supervision_group_max_hours",
    "postdoctoral_hours",
    "min_months",
    "max_months",
)


def _optional_count(value: Any, where: str, name: str) -> int | None:
    # bool is an int in Python; `total_hours: yes` is a typo, not a number.
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{where}: {name} must be a whole number >= 0 or null, got {value!r}")
    return value


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {name} must be non-empty text, got {value!r}")
    return value.strip()


def _optional_text(value: Any, where: str, name: str) -> str | None:
    return None if value is None else _text(value, where, name)


def _text_list(value: Any, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where}: {name} must be a list of text, got {value!r}")
    return tuple(value)


def _as_of(value: Any, where: str) -> str | None:
    # The schema allows YYYY, YYYY-MM or YYYY-MM-DD; an unquoted date in YAML arrives as
    # a date (or an int for a bare year), which is still what the author meant.
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _AS_OF_RE.match(value):
        raise ValueError(f"{where}: as_of must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value


def _exam_choices(
    value: Any, where: str, name: str, catalogue: Mapping[str, Exam]
) -> tuple[ExamChoice, ...]:
    choices = []
    for entry in _text_list(value, where, name):
        codes = tuple(code.strip() for code in entry.split("|"))
        unknown = [code for code in codes if code not in catalogue]
        if unknown:
            raise ValueError(f"{where}: {name} names exam codes not in exams[]: {unknown}")
        choices.append(ExamChoice(codes=codes, names=tuple(catalogue[c].name for c in codes)))
    return tuple(choices)


def _parse_exam(raw: Any, index: int) -> Exam:
    where = f"exams[{index}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a mapping")
    code = _text(raw.get("code"), where, "code")
    if not _CODE_RE.match(code):
        raise ValueError(f"{where}: code must be UPPER_SNAKE, got {code!r}")
    return Exam(
        code=code,
        name=_text(raw.get("name"), where, "name"),
        body=_text(raw.get("body"), where, "body"),
        used_for=_text_list(raw.get("used_for", []), where, "used_for"),
        notes=_optional_text(raw.get("notes"), where, "notes") or "",
    )


def _states(value: Any, where: str, name: str) -> tuple[str, ...]:
    codes = _text_list(value, where, name)
    for state in codes:
        if not _STATE_RE.match(state):
            raise ValueError(f"{where}: {name} has {state!r}, not a USPS code")
    return codes


def _parse_compact(raw: Any, index: int) -> Compact:
    where = f"compacts[{index}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a mapping")
    return Compact(
        code=_text(raw.get("code"), where, "code"),
        name=_text(raw.get("name"), where, "name"),
        administrator=_optional_text(raw.get("administrator"), where, "administrator"),
        licenses_covered=_text_list(raw.get("licenses_covered"), where, "licenses_covered"),
        status=_text(raw.get("status"), where, "status"),
        status_detail=_text(raw.get("status_detail"), where, "status_detail"),
        members_in_scope=_states(raw.get("members_in_scope"), where, "members_in_scope"),
        not_members_in_scope=_states(
            raw.get("not_members_in_scope"), where, "not_members_in_scope"
        ),
        members_sourced=_states(raw.get("members_sourced"), where, "members_sourced"),
        members_note=_optional_text(raw.get("members_note"), where, "members_note") or "",
        sources=_text_list(raw.get("sources"), where, "sources"),
        as_of=_as_of(raw.get("as_of"), where),
    )


def _parse_requirement(
    raw: Any,
    index: int,
    exam_catalogue: Mapping[str, Exam],
    compact_catalogue: Mapping[str, Compact],
) -> Requirement:
    where = f"requirements[{index}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a mapping")
    if isinstance(raw.get("state"), str) and isinstance(raw.get("license_family"), str):
        where = f"{where} ({raw['state']} {raw['license_family']})"
    missing = [name for name in _ROW_FIELDS if name not in raw]
    unknown = sorted(set(raw) - set(_ROW_FIELDS))
    if missing:
        raise ValueError(f"{where}: missing fields {missing}")
    if unknown:
        raise ValueError(f"{where}: unknown fields {unknown} (bump schema_version?)")

    state = raw["state"]
    if not isinstance(state, str) or not _STATE_RE.match(state):
        raise ValueError(f"{where}: state must be a USPS code, got {state!r}")
    family = raw["license_family"]
    if family not in LICENSE_FAMILIES:
        raise ValueError(f"{where}: license_family must be one of {LICENSE_FAMILIES}")
    confidence = raw["confidence"]
    if confidence not in CONFIDENCE_LEVELS:
        raise ValueError(f"{where}: confidence must be one of {CONFIDENCE_LEVELS}")

    counts = {name: _optional_count(raw[name], where, name) for name in _HOUR_FIELDS}
    _check_consistency(counts, where)

    row_compacts = _text_list(raw["compacts"], where, "compacts")
    for code in row_compacts:
        compact = compact_catalogue.get(code)
        if compact is None:
            raise ValueError(f"{where}: compact {code!r} is not in compacts[]")
        if family not in compact.licenses_covered or state not in compact.members_in_scope:
            raise ValueError(
                f"{where}: lists {code} but compacts[] does not show {state} {family} as a member"
            )

    unverified = _text_list(raw["unverified_fields"], where, "unverified_fields")
    not_fields = [name for name in unverified if name not in _ROW_FIELDS]
    if not_fields:
        raise ValueError(f"{where}: unverified_fields names unknown fields {not_fields}")

    return Requirement(
        state=state,
        license_family=family,
        license_title=_text(raw["license_title"], where, "license_title"),
        associate_title=_optional_text(raw["associate_title"], where, "associate_title"),
        degree=_text(raw["degree"], where, "degree"),
        total_hours=counts["total_hours"],
        direct_client_hours=counts["direct_client_hours"],
        supervision_hours=counts["supervision_hours"],
        supervision_individual_hours=counts["supervision_individual_hours"],
        supervision_group_max_hours=counts["supervision_group_max_hours"],
        supervision_ratio=_optional_text(raw["supervision_ratio"], where, "supervision_ratio"),
        postdoctoral_hours=counts["postdoctoral_hours"],
        min_months=counts["min_months"],
        max_months=counts["max_months"],
        exams=_exam_choices(raw["exams"], where, "exams", exam_catalogue),
        associate_exams=_exam_choices(
            raw["associate_exams"], where, "associate_exams", exam_catalogue
        ),
        compacts=row_compacts,
        board=_text(raw["board"], where, "board"),
        board_url=_text(raw["board_url"], where, "board_url"),
        sources=_text_list(raw["sources"], where, "sources"),
        as_of=_as_of(raw["as_of"], where),
        confidence=confidence,
        unverified_fields=unverified,
        notes=_optional_text(raw["notes"], where, "notes") or "",
    )


def _check_consistency(counts: Mapping[str, int | None], where: str) -> None:
    # A part larger than its whole is a transcription error, not a rule to honour.
    for part, whole in (
        ("direct_client_hours", "total_hours"),
        ("postdoctoral_hours", "total_hours"),
        ("supervision_individual_hours", "supervision_hours"),
    ):
        part_value, whole_value = counts[part], counts[whole]
        if part_value is not None and whole_value is not None and part_value > whole_value:
            raise ValueError(f"{where}: {part} ({part_value}) exceeds {whole} ({whole_value})")
    low, high = counts["min_months"], counts["max_months"]
    if low is not None and high is not None and low > high:
        raise ValueError(f"{where}: min_months ({low}) exceeds max_months ({high})")


def _parse(document: Any) -> RequirementsData:
    if not isinstance(document, dict):
        raise ValueError("requirements file must be a mapping at the top level")
    version = document.get("schema_version")
    if version != SUPPORTED_SCHEMA_VERSION:
        raise ValueError(
            f"schema_version {version!r} is not supported (expected {SUPPORTED_SCHEMA_VERSION})"
        )
    for section in ("exams", "compacts", "requirements"):
        if not isinstance(document.get(section), list):
            raise ValueError(f"{section} must be a list")

    exams: dict[str, Exam] = {}
    for index, raw in enumerate(document["exams"]):
        exam = _parse_exam(raw, index)
        if exam.code in exams:
            raise ValueError(f"exams[{index}]: duplicate code {exam.code}")
        exams[exam.code] = exam
    compact_catalogue: dict[str, Compact] = {}
    for index, raw in enumerate(document["compacts"]):
        compact = _parse_compact(raw, index)
        if compact.code in compact_catalogue:
            raise ValueError(f"compacts[{index}]: duplicate code {compact.code}")
        compact_catalogue[compact.code] = compact

    seen: set[tuple[str, str]] = set()
    rows = []
    for index, raw in enumerate(document["requirements"]):
        row = _parse_requirement(raw, index, exams, compact_catalogue)
        key = (row.state, row.license_family)
        if key in seen:
            raise ValueError(f"requirements[{index}]: duplicate row for {row.state} {key[1]}")
        seen.add(key)
        rows.append(row)

    return RequirementsData(
        schema_version=version,
        compiled=str(document.get("compiled", "")),
        exams=MappingProxyType(exams),
        compacts=MappingProxyType(compact_catalogue),
        requirements=tuple(rows),
    )


@functools.cache
def _load(path: Path) -> RequirementsData:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML: {error}") from error
    try:
        return _parse(document)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error


def load_requirements(path: str | Path | None = None) -> RequirementsData:
    """Read and validate the requirements file once per path; raises ValueError if malformed."""
    return _load(Path(path).resolve() if path is not None else DEFAULT_PATH)


class RequirementNotFound(LookupError):
    """The data has no row for this state and license family."""


def requirement_for(
    state: str, license_family: str, *, path: str | Path | None = None
) -> Requirement:
    """The row for `state` (USPS code) and `license_family`, or RequirementNotFound."""
    for row in load_requirements(path).requirements:
        if row.state == state.upper() and row.license_family == license_family:
            return row
    raise RequirementNotFound(f"no requirement row for {state} {license_family}")


def states(*, path: str | Path | None = None) -> tuple[str, ...]:
    """USPS codes the data covers, sorted."""
    return tuple(sorted({row.state for row in load_requirements(path).requirements}))


def exams_catalogue(*, path: str | Path | None = None) -> Mapping[str, Exam]:
    return load_requirements(path).exams


def compacts(*, path: str | Path | None = None) -> Mapping[str, Compact]:
    return load_requirements(path).compacts


@dataclass(frozen=True)
class CompactStanding:
    """Whether the data shows `state` in `compact`; `is_member` is None when it does not say."""

    compact: Compact
    state: str
    is_member: bool | None
    explanation: str


def compact_allows(
    compact_code: str, state: str, *, path: str | Path | None = None
) -> CompactStanding:
    """Membership of `state` in the compact as sourced, with the compact's operating status.

    Membership is not the same as privileges being issued: the compact's `status` and
    `status_detail` (e.g. the Counseling Compact's "partially_operational") are carried in
    the explanation so the caller never shows "member" as "you may practise there".
    """
    known = compacts(path=path)
    if compact_code not in known:
        raise RequirementNotFound(f"no compact {compact_code!r} in the data")
    compact = known[compact_code]
    state = state.upper()
    if state in compact.members_in_scope or state in compact.members_sourced:
        is_member: bool | None = True
        finding = f"The data lists {state} as a member of the {compact.name}"
    elif state in compact.not_members_in_scope:
        is_member = False
        finding = f"The data lists {state} as not a member of the {compact.name}"
    else:
        is_member = None
        finding = f"The data does not establish whether {state} is in the {compact.name}"
    explanation = f"{finding} (status: {compact.status}). {compact.status_detail}"
    return CompactStanding(
        compact=compact, state=state, is_member=is_member, explanation=explanation
    )


# ------------------------------------------------------------------- the ledger side


@dataclass(frozen=True)
class HoursTotals:
    """Hours from the ledger, by kind. Also used as hours per week for the pace."""

    direct_individual: float = 0
    direct_couples_family: float = 0
    direct_group: float = 0
    indirect: float = 0
    supervision_individual: float = 0
    supervision_group: float = 0

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) < 0:
                raise ValueError(f"{item.name} cannot be negative")

    @property
    def direct_client(self) -> float:
        return self.direct_individual + self.direct_couples_family + self.direct_group

    @property
    def experience(self) -> float:
        """Hours credited toward `total_hours`: client work plus indirect work.

        Supervision is left out. The data has no field saying whether a state counts
        supervision inside its total (NC counselor notes say individual supervision does
        not), so counting it could overstate progress.
        """
        return self.direct_client + self.indirect

    @property
    def supervision(self) -> float:
        return self.supervision_individual + self.supervision_group

    @property
    def all_logged(self) -> float:
        return self.experience + self.supervision

    def scaled(self, factor: float) -> HoursTotals:
        return HoursTotals(**{f.name: getattr(self, f.name) * factor for f in fields(self)})


@dataclass(frozen=True)
class LedgerWindow:
    """The span of the hours log: first entry to the date progress is measured on."""

    first_entry_on: date
    as_of: date

    def __post_init__(self) -> None:
        if self.as_of < self.first_entry_on:
            raise ValueError("as_of is before the first ledger entry")

    @property
    def months_elapsed(self) -> int:
        """Whole calendar months from the first entry to as_of."""
        span = relativedelta(self.as_of, self.first_entry_on)
        return span.years * 12 + span.months

    @property
    def weeks_elapsed(self) -> float:
        return (self.as_of - self.first_entry_on).days / 7

    def months_after_start(self, months: int) -> date:
        return self.first_entry_on + relativedelta(months=months)


def weekly_pace(
    recent_hours: HoursTotals, *, window: LedgerWindow, weeks: int = PACE_WEEKS
) -> HoursTotals:
    """Hours per week from the hours logged in the last `weeks` weeks before `window.as_of`.

    A ledger younger than `weeks` is divided by its own age (at least one week), so a
    new associate's pace is not diluted by weeks before they started.
    """
    divisor = max(1.0, min(float(weeks), window.weeks_elapsed))
    return recent_hours.scaled(1 / divisor)


# ------------------------------------------------------------------------- progress


class _Labelled:
    """Confidence and unverified labels shared by every line a progress report shows."""

    confidence: str
    unverified_fields: tuple[str, ...]

    @property
    def is_low_confidence(self) -> bool:
        return self.confidence == "low"

    @property
    def is_unverified(self) -> bool:
        return bool(self.unverified_fields)

    @property
    def unverified_label(self) -> str:
        """E.g. "unverified: total_hours" for a value the data marks as a placeholder."""
        return f"unverified: {', '.join(self.unverified_fields)}" if self.unverified_fields else ""


@dataclass(frozen=True)
class RuleLine(_Labelled):
    """One hour rule measured against the ledger.

    `required` is None when the row has no number (`required_text` then reads "not stated
    in the data"); `credited` is None when the totals cannot measure the rule; `met` is
    None whenever either is missing.
    """

    rule: str
    label: str
    required: int | None
    credited: float | None
    remaining: float | None
    met: bool | None
    provenance: str
    confidence: str
    unverified_fields: tuple[str, ...]
    uncredited: float = 0
    note: str = ""

    @property
    def required_text(self) -> str:
        return NOT_STATED if self.required is None else f"{_hours(self.required)} h"


@dataclass(frozen=True)
class WindowLine(_Labelled):
    """A calendar rule: `min_months` (must have elapsed) or `max_months` (must not pass)."""

    rule: Literal["min_months", "max_months"]
    label: str
    months: int | None
    boundary_on: date | None
    months_elapsed: int
    met: bool | None
    provenance: str
    confidence: str
    unverified_fields: tuple[str, ...]
    note: str = ""

    @property
    def required_text(self) -> str:
        return NOT_STATED if self.months is None else f"{self.months} months"


@dataclass(frozen=True)
class InformationalLine(_Labelled):
    """A rule the data states only as text; shown, never computed."""

    rule: str
    label: str
    text: str
    provenance: str
    confidence: str
    unverified_fields: tuple[str, ...]


@dataclass(frozen=True)
class ExamStatus(_Labelled):
    """One exam requirement and whether the passed exams satisfy it."""

    choice: ExamChoice
    is_passed: bool
    confidence: str
    unverified_fields: tuple[str, ...]


@dataclass(frozen=True)
class Projection:
    """When the binding rule would be met at the recent pace, or why that cannot be said."""

    completes_on: date | None
    binding_rule: str | None
    reason: str
    exceeds_max_window: bool = False


@dataclass(frozen=True)
class Progress:
    """Everything a progress page shows for one clinician against one requirement row."""

    requirement: Requirement
    window: LedgerWindow
    lines: tuple[RuleLine, ...]
    min_months: WindowLine
    max_months: WindowLine
    exams: tuple[ExamStatus, ...]
    informational: tuple[InformationalLine, ...]
    projection: Projection

    @property
    def exams_outstanding(self) -> tuple[ExamChoice, ...]:
        return tuple(status.choice for status in self.exams if not status.is_passed)

    @property
    def rules_not_expressed_numerically(self) -> tuple[InformationalLine, ...]:
        return self.informational

    @property
    def min_months_elapsed(self) -> bool | None:
        return self.min_months.met

    @property
    def max_months_exceeded(self) -> bool | None:
        return None if self.max_months.met is None else not self.max_months.met

    def line(self, rule: str) -> RuleLine:
        for line in self.lines:
            if line.rule == rule:
                return line
        raise KeyError(rule)


def _hours(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _unverified(requirement: Requirement, *data_fields: str) -> tuple[str, ...]:
    return tuple(name for name in data_fields if requirement.is_unverified(name))


def _rule_line(
    requirement: Requirement,
    *,
    rule: str,
    label: str,
    credited: float | None,
    data_fields: tuple[str, ...],
    uncredited: float = 0,
    note: str = "",
) -> RuleLine:
    required: int | None = getattr(requirement, rule)
    if required is None or credited is None:
        remaining, met = None, None
    else:
        remaining, met = max(0.0, required - credited), credited >= required
    return RuleLine(
        rule=rule,
        label=label,
        required=required,
        credited=credited,
        remaining=remaining,
        met=met,
        provenance=requirement.provenance,
        confidence=requirement.confidence,
        unverified_fields=_unverified(requirement, *data_fields),
        uncredited=uncredited,
        note=note,
    )


def _creditable_group(requirement: Requirement, totals: HoursTotals) -> tuple[float, str]:
    cap = requirement.supervision_group_max_hours
    logged = totals.supervision_group
    if cap is None:
        return logged, "No cap on group supervision is stated in the data; all of it is counted."
    if cap == 0:
        # supervision_group_max_hours = 0 means the row allows no group supervision.
        return 0.0, "The data allows no group supervision for this license (cap 0 h)."
    return min(logged, float(cap)), f"Group supervision counts up to {_hours(cap)} h."


def _hour_lines(requirement: Requirement, totals: HoursTotals) -> tuple[RuleLine, ...]:
    group_credited, group_note = _creditable_group(requirement, totals)
    total_note = ""
    if requirement.license_family == "psychology":
        # Schema: for psychology total_hours includes the internship.
        total_note = "The data's total includes the internship; only logged hours are credited."
    lines = [
        _rule_line(
            requirement,
            rule="total_hours",
            label="Supervised experience (client and indirect hours)",
            credited=totals.experience,
            data_fields=("total_hours",),
            note=total_note,
        ),
        _rule_line(
            requirement,
            rule="direct_client_hours",
            label="Direct client contact",
            credited=totals.direct_client,
            data_fields=("direct_client_hours",),
        ),
        _rule_line(
            requirement,
            rule="supervision_hours",
            label="Supervision (individual plus creditable group)",
            credited=totals.supervision_individual + group_credited,
            data_fields=("supervision_hours", "supervision_group_max_hours"),
            uncredited=totals.supervision_group - group_credited,
            note=group_note,
        ),
        _rule_line(
            requirement,
            rule="supervision_individual_hours",
            label="Individual supervision",
            credited=totals.supervision_individual,
            data_fields=("supervision_individual_hours",),
        ),
    ]
    if requirement.license_family == "psychology":
        postdoc_required = requirement.postdoctoral_hours
        if postdoc_required == 0:
            lines.append(
                replace(
                    _rule_line(
                        requirement,
                        rule="postdoctoral_hours",
                        label="Post-doctoral supervised hours",
                        credited=None,
                        data_fields=("postdoctoral_hours",),
                        note="0 in the data: no post-doctoral hours are required.",
                    ),
                    remaining=0.0,
                    met=True,
                )
            )
        else:
            lines.append(
                _rule_line(
                    requirement,
                    rule="postdoctoral_hours",
                    label="Post-doctoral supervised hours",
                    credited=None,
                    data_fields=("postdoctoral_hours",),
                    note="The hour totals do not separate post-doctoral hours; not computed.",
                )
            )
    return tuple(lines)


def _window_lines(requirement: Requirement, window: LedgerWindow) -> tuple[WindowLine, WindowLine]:
    elapsed = window.months_elapsed
    minimum = requirement.min_months
    min_boundary = window.months_after_start(minimum) if minimum is not None else None
    min_line = WindowLine(
        rule="min_months",
        label="Minimum time accruing experience",
        months=minimum,
        boundary_on=min_boundary,
        months_elapsed=elapsed,
        met=None if min_boundary is None else window.as_of >= min_boundary,
        provenance=requirement.provenance,
        confidence=requirement.confidence,
        unverified_fields=_unverified(requirement, "min_months"),
        note="Counted from the first ledger entry.",
    )
    maximum = requirement.max_months
    max_boundary = window.months_after_start(maximum) if maximum is not None else None
    max_line = WindowLine(
        rule="max_months",
        label="Maximum window",
        months=maximum,
        boundary_on=max_boundary,
        months_elapsed=elapsed,
        met=None if max_boundary is None else window.as_of <= max_boundary,
        provenance=requirement.provenance,
        confidence=requirement.confidence,
        unverified_fields=_unverified(requirement, "max_months"),
        # Schema: max_months may be a window, a look-back or an associate credential's
        # life; which one is only in the row notes.
        note="Counted from the first ledger entry; the row notes say what the window measures.",
    )
    return min_line, max_line


def _informational(requirement: Requirement) -> tuple[InformationalLine, ...]:
    texts = (
        ("supervision_ratio", "Supervision rate", requirement.supervision_ratio),
        ("degree", "Qualifying degree", requirement.degree),
        ("notes", "Other conditions and caveats (row notes)", requirement.notes),
    )
    return tuple(
        InformationalLine(
            rule=rule,
            label=label,
            text=text,
            provenance=requirement.provenance,
            confidence=requirement.confidence,
            unverified_fields=_unverified(requirement, rule),
        )
        for rule, label, text in texts
        if text
    )


def _weeks_for_supervision(
    requirement: Requirement, totals: HoursTotals, pace: HoursTotals, remaining: float
) -> float | None:
    # Group hours stop counting once the group cap (supervision_group_max_hours) is
    # reached, so the rate drops to the individual rate from then on.
    group_credited, _ = _creditable_group(requirement, totals)
    cap = requirement.supervision_group_max_hours
    group_room = math.inf if cap is None else max(0.0, cap - group_credited)
    group_rate = pace.supervision_group
    individual_rate = pace.supervision_individual
    combined = individual_rate + group_rate
    if combined == 0:
        return None
    if group_rate == 0:
        return remaining / individual_rate
    until_cap = group_room / group_rate
    if combined * until_cap >= remaining:
        return remaining / combined
    if individual_rate == 0:
        return None
    return until_cap + (remaining - combined * until_cap) / individual_rate


def _weeks_to_meet(
    line: RuleLine, requirement: Requirement, totals: HoursTotals, pace: HoursTotals
) -> float | None:
    remaining = line.remaining or 0.0
    if line.rule == "supervision_hours":
        return _weeks_for_supervision(requirement, totals, pace, remaining)
    rate = {
        "total_hours": pace.experience,
        "direct_client_hours": pace.direct_client,
        "supervision_individual_hours": pace.supervision_individual,
    }[line.rule]
    return remaining / rate if rate > 0 else None


def _project(
    requirement: Requirement,
    totals: HoursTotals,
    pace: HoursTotals,
    window: LedgerWindow,
    lines: tuple[RuleLine, ...],
    min_line: WindowLine,
    max_line: WindowLine,
) -> Projection:
    measurable = [line for line in lines if line.met is not None and line.credited is not None]
    if not measurable:
        return Projection(None, None, "The data states no hour numbers to project against.")

    binding: RuleLine | None = None
    latest = window.as_of
    for line in measurable:
        if line.met:
            continue
        weeks = _weeks_to_meet(line, requirement, totals, pace)
        if weeks is None:
            return Projection(
                None,
                line.rule,
                f"At the recent {PACE_WEEKS}-week pace no hours are credited toward "
                f"{line.label.lower()}, so no completion date can be projected.",
            )
        # Rounded before the ceiling so 10.0 weeks is 70 days, not 71 from float noise.
        finish = window.as_of + timedelta(days=math.ceil(round(weeks * 7, 6)))
        if binding is None or finish > latest:
            binding, latest = line, max(latest, finish)

    completes_on, binding_rule = latest, binding.rule if binding else None
    reason = (
        f"{binding.label} is the last hour rule met at the recent {PACE_WEEKS}-week pace."
        if binding
        else "Every hour rule with a number in the data is met."
    )
    # Never earlier than the min_months date: hours alone do not satisfy a time rule.
    if min_line.boundary_on is not None and min_line.boundary_on > completes_on:
        completes_on, binding_rule = min_line.boundary_on, "min_months"
        reason = (
            f"The hour rules would be met by {latest.isoformat()}; "
            f"the {min_line.months}-month minimum ends later."
        )
    exceeds = max_line.boundary_on is not None and completes_on > max_line.boundary_on
    return Projection(completes_on, binding_rule, reason, exceeds_max_window=exceeds)


def progress(
    requirement: Requirement,
    totals: HoursTotals,
    *,
    started_on: date,
    as_of: date,
    recent_weekly_pace: HoursTotals,
    passed_exams: Collection[str] = frozenset(),
) -> Progress:
    """Measure ledger totals against one requirement row.

    `started_on` is the first ledger entry; `recent_weekly_pace` is hours per week over the
    last eight weeks (see `weekly_pace`). Hour caps from the data are applied before
    crediting; rules the data has only as text are returned as informational lines.
    """
    window = LedgerWindow(first_entry_on=started_on, as_of=as_of)
    lines = _hour_lines(requirement, totals)
    min_line, max_line = _window_lines(requirement, window)
    passed = frozenset(passed_exams)
    exams = tuple(
        ExamStatus(
            choice=choice,
            is_passed=choice.is_satisfied_by(passed),
            confidence=requirement.confidence,
            unverified_fields=_unverified(requirement, "exams"),
        )
        for choice in requirement.exams
    )
    return Progress(
        requirement=requirement,
        window=window,
        lines=lines,
        min_months=min_line,
        max_months=max_line,
        exams=exams,
        informational=_informational(requirement),
        projection=_project(
            requirement, totals, recent_weekly_pace, window, lines, min_line, max_line
        ),
    )


@dataclass(frozen=True)
class WhatIf:
    """Progress measured against another row, with what the data says about moving hours."""

    progress: Progress
    transfer_notes: tuple[str, ...]


def what_if(
    state: str,
    license_family: str,
    totals: HoursTotals,
    *,
    started_on: date,
    as_of: date,
    recent_weekly_pace: HoursTotals,
    passed_exams: Collection[str] = frozenset(),
    current: Requirement | None = None,
    path: str | Path | None = None,
) -> WhatIf:
    """Progress as if the same hours were measured against `state`'s row.

    The numbers are exactly `progress()` with the other row. The notes only repeat what
    the data holds: it has no field for accepting out-of-state hours, so that is said
    rather than assumed either way.
    """
    target = requirement_for(state, license_family, path=path)
    result = progress(
        target,
        totals,
        started_on=started_on,
        as_of=as_of,
        recent_weekly_pace=recent_weekly_pace,
        passed_exams=passed_exams,
    )
    notes = []
    if current is None or current.state != target.state:
        notes.append(
            f"The data has no field saying whether {target.board} credits hours accrued in "
            f"another state; these totals are counted as if it did. Check with the board: "
            f"{target.board_url}"
        )
    if current is not None and current.license_family != target.license_family:
        notes.append(
            f"The hours were logged toward {current.license_title}; the data does not say "
            f"whether they count toward {target.license_title}."
        )
    if target.associate_title:
        notes.append(
            f"The data lists '{target.associate_title}' as the credential held while accruing "
            f"hours in {target.state}."
        )
    else:
        notes.append(f"The data lists no associate credential for {target.state}.")
    notes.append("Conditions on which hours count are only in the row notes (shown as text).")
    return WhatIf(progress=result, transfer_notes=tuple(notes))
