"""Suggest the CPT code(s) for one psychotherapy session from data/cpt_psychotherapy.yaml.

Pure Python, no database. Every minute threshold, place-of-service code and telehealth
modifier comes from the data file; this module only knows which kind of service maps to
which code, and checks at load time that the data still agrees. Payer-specific choices
(POS 11 + modifier 95, GT/FQ, credential modifiers, Medicare G0017/G0018) are deliberately
not applied: the data's `modifiers.note` says to keep them as payer configuration.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Final, NoReturn

import yaml

CPT_DATA_PATH: Final = Path(__file__).resolve().parents[2] / "data" / "cpt_psychotherapy.yaml"

SERVICES: Final = ("intake", "individual", "couples", "family", "group", "crisis", "collateral")

# A sanity bound on input, not a coding rule: no single session lasts longer than a day.
MAX_SESSION_MINUTES: Final = 24 * 60

_SCHEMA_VERSION: Final = 1

# Code identifiers (not thresholds) the services map to. The data has no machine-readable
# "patient present" or "service kind" field, so the mapping lives here and is checked
# against each code's `category` at load time.
_INTAKE: Final = "90791"
_FAMILY_WITHOUT_CLIENT: Final = "90846"
_FAMILY_WITH_CLIENT: Final = "90847"
_GROUP: Final = "90853"
_INTERACTIVE_COMPLEXITY: Final = "90785"

# place_of_service.rule: for telehealth POS is where the client is (02 vs 10); in person it
# is where the service happens (11 office, 12 the client's home).
_POS_TELEHEALTH_ELSEWHERE: Final = "02"
_POS_TELEHEALTH_HOME: Final = "10"
_POS_OFFICE: Final = "11"
_POS_HOME: Final = "12"
_MODIFIER_VIDEO: Final = "95"
_MODIFIER_AUDIO_ONLY: Final = "93"

_PSYCHOTHERAPY: Final = "psychotherapy"
_CRISIS: Final = "crisis"
_FAMILY: Final = "family"
_GROUP_CATEGORY: Final = "group"
_DIAGNOSTIC_EVALUATION: Final = "diagnostic_evaluation"

# The only units formula the engine evaluates; the data spells it out as text and we parse
# the two numbers rather than eval() anything from a file.
_UNITS_RULE: Final = re.compile(r"ceil\(\(minutes\s*-\s*(\d+)\)\s*/\s*(\d+)\)")

_EN_DASH: Final = "\N{EN DASH}"
_ARROW: Final = "\N{RIGHTWARDS ARROW}"


class CptDataError(ValueError):
    """The CPT data file does not have the shape or the internal agreement the engine needs."""


@dataclass(frozen=True, slots=True)
class CptAddOn:
    """One add-on claim line: the code and how many units of it."""

    code: str
    units: int


@dataclass(frozen=True, slots=True)
class CptSuggestion:
    """A suggested claim for one session, for the clinician to confirm.

    When `reportable` is False the claim fields are empty (`code` None, `units` 0, no add-ons,
    no place of service, no modifiers) and `explanation` says why. `modifiers` apply to every
    line of the claim, add-ons included. `place_of_service` is None for telehealth when the
    client's location was not given.
    """

    code: str | None
    units: int
    add_ons: tuple[CptAddOn, ...]
    place_of_service: str | None
    modifiers: tuple[str, ...]
    explanation: str
    reportable: bool


@dataclass(frozen=True, slots=True)
class CptCode:
    """One entry of the data's `codes` list, reduced to the fields the engine reads."""

    code: str
    short: str
    category: str
    timed: bool
    add_on: bool
    nominal_minutes: int | None
    min_minutes: int | None
    max_minutes: int | None
    allowed_add_ons: frozenset[str]
    allowed_with: frozenset[str]
    not_with: frozenset[str]
    requires_primary: str | None


@dataclass(frozen=True, slots=True)
class TimeBand:
    """One row of a time-to-code table: minutes min..max (None = open-ended) give `code`."""

    min_minutes: int
    max_minutes: int | None
    code: str | None
    add_on: str | None = None
    # Parsed from add_on_units_rule "ceil((minutes - offset) / unit_minutes)".
    add_on_offset_minutes: int | None = None
    add_on_unit_minutes: int | None = None

    def contains(self, minutes: int) -> bool:
        return self.min_minutes <= minutes and (
            self.max_minutes is None or minutes <= self.max_minutes
        )

    def describe(self) -> str:
        if self.max_minutes is None:
            return f"{self.min_minutes} minutes or more"
        return f"{self.min_minutes}{_EN_DASH}{self.max_minutes} minutes"


@dataclass(frozen=True, slots=True)
class CptData:
    """The validated contents of the data file."""

    codes: Mapping[str, CptCode]
    psychotherapy_time_table: tuple[TimeBand, ...]
    crisis_time_table: tuple[TimeBand, ...]
    family_codes: frozenset[str]
    family_min_minutes: int
    place_of_service: Mapping[str, str]
    telehealth_modifiers: Mapping[str, str]


# --- loading and validation -------------------------------------------------------------


def _fail(where: str, problem: str) -> NoReturn:
    raise CptDataError(f"{CPT_DATA_PATH.name}: {where}: {problem}")


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        _fail(where, f"expected a mapping, got {_kind(value)}")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        _fail(where, f"expected a list, got {_kind(value)}")
    return value


def _kind(value: object) -> str:
    return "nothing (missing or null)" if value is None else type(value).__name__


def _text(item: Mapping[str, object], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(where, f'{key!r} must be a non-empty string (quote codes like "02"), got {value!r}')
    return value


def _optional_text(item: Mapping[str, object], key: str, where: str) -> str | None:
    return None if item.get(key) is None else _text(item, key, where)


def _minutes(item: Mapping[str, object], key: str, where: str) -> int:
    value = item.get(key)
    # bool is an int subclass; "min_minutes: yes" is a data error, not 1 minute.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        _fail(where, f"{key!r} must be a whole number of minutes >= 0, got {value!r}")
    return value


def _optional_minutes(item: Mapping[str, object], key: str, where: str) -> int | None:
    return None if item.get(key) is None else _minutes(item, key, where)


def _flag(item: Mapping[str, object], key: str, where: str, *, default: bool) -> bool:
    value = item.get(key, default)
    if not isinstance(value, bool):
        _fail(where, f"{key!r} must be true or false, got {value!r}")
    return value


def _codes_list(item: Mapping[str, object], key: str, where: str) -> frozenset[str]:
    values = _list(item.get(key, []), f"{where}.{key}")
    for value in values:
        if not isinstance(value, str):
            _fail(f"{where}.{key}", f"codes must be quoted strings, got {value!r}")
    return frozenset(str(value) for value in values)


def _parse_code(raw: object, where: str) -> CptCode:
    item = _mapping(raw, where)
    code = _text(item, "code", where)
    where = f"{where} ({code})"
    entry = CptCode(
        code=code,
        short=_text(item, "short", where),
        category=_text(item, "category", where),
        # 90863 has no `timed` key; a code without one has no minute rule.
        timed=_flag(item, "timed", where, default=False),
        add_on=_flag(item, "add_on", where, default=False),
        nominal_minutes=_optional_minutes(item, "nominal_minutes", where),
        min_minutes=_optional_minutes(item, "min_minutes", where),
        max_minutes=_optional_minutes(item, "max_minutes", where),
        allowed_add_ons=_codes_list(item, "allowed_add_ons", where),
        allowed_with=_codes_list(item, "allowed_with", where),
        not_with=_codes_list(item, "not_with", where),
        requires_primary=_optional_text(item, "requires_primary", where),
    )
    if (
        entry.min_minutes is not None
        and entry.max_minutes is not None
        and entry.max_minutes < entry.min_minutes
    ):
        _fail(where, f"max_minutes {entry.max_minutes} is below min_minutes {entry.min_minutes}")
    return entry


def _parse_band(raw: object, where: str, codes: Mapping[str, CptCode]) -> TimeBand:
    item = _mapping(raw, where)
    low = _minutes(item, "min_minutes", where)
    high = _optional_minutes(item, "max_minutes", where)
    if high is not None and high < low:
        _fail(where, f"max_minutes {high} is below min_minutes {low}")
    code = _optional_text(item, "code", where)
    add_on = _optional_text(item, "add_on", where)
    for named in (code, add_on):
        if named is not None and named not in codes:
            _fail(where, f"code {named!r} is not in the `codes` list")
    offset = unit = None
    if add_on is not None:
        rule = _text(item, "add_on_units_rule", where)
        match = _UNITS_RULE.fullmatch(rule.strip())
        if match is None:
            _fail(where, f"add_on_units_rule {rule!r} is not of the form 'ceil((minutes - N) / M)'")
        offset, unit = int(match[1]), int(match[2])
        if unit == 0:
            _fail(where, "add_on_units_rule divides by zero minutes")
    return TimeBand(low, high, code, add_on, offset, unit)


def _parse_table(raw: object, where: str, codes: Mapping[str, CptCode]) -> tuple[TimeBand, ...]:
    bands = tuple(
        _parse_band(item, f"{where}[{index}]", codes)
        for index, item in enumerate(_list(raw, where))
    )
    if not bands:
        _fail(where, "is empty")
    # Contiguous from 0 and open-ended, so every whole minute falls in exactly one band.
    if bands[0].min_minutes != 0:
        _fail(where, f"must start at 0 minutes, starts at {bands[0].min_minutes}")
    for index, (previous, current) in enumerate(pairwise(bands), start=1):
        if previous.max_minutes is None:
            _fail(f"{where}[{index - 1}]", "only the last band may be open-ended")
        if current.min_minutes != previous.max_minutes + 1:
            _fail(
                f"{where}[{index}]",
                f"starts at {current.min_minutes} minutes but the band before ends at "
                f"{previous.max_minutes}; bands must not leave gaps or overlap",
            )
    if bands[-1].max_minutes is not None:
        _fail(f"{where}[{len(bands) - 1}]", "the last band must be open-ended (max_minutes: null)")
    return bands


def _parse_short_list(raw: object, where: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for index, item in enumerate(_list(raw, where)):
        entry = _mapping(item, f"{where}[{index}]")
        entries[_text(entry, "code", f"{where}[{index}]")] = _text(
            entry, "short", f"{where}[{index}]"
        )
    return entries


def parse_cpt_data(raw: object) -> CptData:
    """Validate the parsed YAML and return it typed; raise CptDataError naming the bad field."""
    root = _mapping(raw, "top level")
    if root.get("schema_version") != _SCHEMA_VERSION:
        _fail("schema_version", f"expected {_SCHEMA_VERSION}, got {root.get('schema_version')!r}")

    codes: dict[str, CptCode] = {}
    for index, item in enumerate(_list(root.get("codes"), "codes")):
        entry = _parse_code(item, f"codes[{index}]")
        if entry.code in codes:
            _fail(f"codes[{index}]", f"code {entry.code} is listed twice")
        codes[entry.code] = entry

    family = _mapping(root.get("family_time_rule"), "family_time_rule")
    pos = _mapping(root.get("place_of_service"), "place_of_service")
    modifiers = _mapping(root.get("modifiers"), "modifiers")
    data = CptData(
        codes=codes,
        psychotherapy_time_table=_parse_table(
            root.get("psychotherapy_time_table"), "psychotherapy_time_table", codes
        ),
        crisis_time_table=_parse_table(root.get("crisis_time_table"), "crisis_time_table", codes),
        family_codes=_codes_list(family, "codes", "family_time_rule"),
        family_min_minutes=_minutes(family, "min_minutes", "family_time_rule"),
        place_of_service=_parse_short_list(pos.get("codes"), "place_of_service.codes"),
        telehealth_modifiers=_parse_short_list(modifiers.get("telehealth"), "modifiers.telehealth"),
    )
    _check_agreement(data)
    return data


def _require_code(data: CptData, code: str, category: str, where: str) -> CptCode:
    entry = data.codes.get(code)
    if entry is None:
        _fail(where, f"the engine needs code {code}, which is not in the `codes` list")
    if entry.category != category:
        _fail(where, f"code {code} must have category {category!r}, has {entry.category!r}")
    return entry


def _check_agreement(data: CptData) -> None:
    """Cross-check the tables against the code entries so an edit to one cannot drift."""
    for index, band in enumerate(data.psychotherapy_time_table):
        where = f"psychotherapy_time_table[{index}]"
        if band.add_on is not None:
            _fail(where, "the engine does not apply add-ons from this table")
        if band.code is None:
            continue
        entry = _require_code(data, band.code, _PSYCHOTHERAPY, where)
        if (entry.min_minutes, entry.max_minutes) != (band.min_minutes, band.max_minutes):
            _fail(
                where,
                f"says {band.code} is {band.describe()} but its code entry says "
                f"{entry.min_minutes}..{entry.max_minutes}",
            )

    crisis_bands = 0
    for index, band in enumerate(data.crisis_time_table):
        where = f"crisis_time_table[{index}]"
        if band.code is None:
            continue
        entry = data.codes[band.code]
        if entry.category == _PSYCHOTHERAPY and band.add_on is None:
            _check_crisis_fallback(data, band, where)
        elif entry.category == _CRISIS and band.add_on is None:
            crisis_bands += 1
            if (entry.min_minutes, entry.max_minutes) != (band.min_minutes, band.max_minutes):
                _fail(where, f"disagrees with the minutes of code {band.code}")
        elif entry.category == _CRISIS and band.add_on is not None:
            _check_crisis_add_on(band, data.codes[band.add_on], entry, where)
        else:
            _fail(where, f"the engine cannot apply code {band.code} in the crisis table")
    if crisis_bands == 0:
        _fail("crisis_time_table", "needs a band for the crisis first-hour code")

    if not {_FAMILY_WITH_CLIENT, _FAMILY_WITHOUT_CLIENT} <= data.family_codes:
        _fail(
            "family_time_rule.codes",
            f"must list {_FAMILY_WITHOUT_CLIENT} and {_FAMILY_WITH_CLIENT}",
        )
    for code in (_FAMILY_WITHOUT_CLIENT, _FAMILY_WITH_CLIENT):
        entry = _require_code(data, code, _FAMILY, "family_time_rule")
        if entry.min_minutes != data.family_min_minutes:
            _fail("family_time_rule", f"min_minutes disagrees with code {code}")

    for code, category in ((_INTAKE, _DIAGNOSTIC_EVALUATION), (_GROUP, _GROUP_CATEGORY)):
        if _require_code(data, code, category, "codes").timed:
            _fail("codes", f"the engine treats {code} as untimed, but the data marks it timed")
    if _INTERACTIVE_COMPLEXITY not in data.codes:
        _fail("codes", f"the engine needs code {_INTERACTIVE_COMPLEXITY}")

    for code in (_POS_TELEHEALTH_ELSEWHERE, _POS_TELEHEALTH_HOME, _POS_OFFICE, _POS_HOME):
        if code not in data.place_of_service:
            _fail("place_of_service.codes", f"the engine needs place of service {code}")
    for code in (_MODIFIER_VIDEO, _MODIFIER_AUDIO_ONLY):
        if code not in data.telehealth_modifiers:
            _fail("modifiers.telehealth", f"the engine needs modifier {code}")


def _check_crisis_fallback(data: CptData, band: TimeBand, where: str) -> None:
    # crisis_time_table note: short crisis time is "reported as ordinary psychotherapy"; the
    # engine runs the psychotherapy table for it, so that table must agree with this band.
    for other in data.psychotherapy_time_table:
        band_end = math.inf if band.max_minutes is None else band.max_minutes
        overlaps = other.min_minutes <= band_end and (
            other.max_minutes is None or other.max_minutes >= band.min_minutes
        )
        if overlaps and other.code not in (None, band.code):
            _fail(where, f"says {band.code} but psychotherapy_time_table gives {other.code}")


def _check_crisis_add_on(band: TimeBand, add_on: CptCode, primary: CptCode, where: str) -> None:
    if not add_on.add_on or add_on.requires_primary != primary.code:
        _fail(where, f"{add_on.code} must be an add-on with requires_primary {primary.code!r}")
    if primary.max_minutes is None or band.min_minutes != primary.max_minutes + 1:
        _fail(where, f"must start the minute after {primary.code}'s max_minutes")
    if band.add_on_offset_minutes != primary.max_minutes:
        _fail(where, f"add_on_units_rule must subtract {primary.code}'s max_minutes")
    if band.add_on_unit_minutes != add_on.nominal_minutes:
        _fail(where, f"add_on_units_rule must divide by {add_on.code}'s nominal_minutes")


@cache
def load_cpt_data() -> CptData:
    """Read and validate data/cpt_psychotherapy.yaml once per process."""
    with CPT_DATA_PATH.open(encoding="utf-8") as handle:
        return parse_cpt_data(yaml.safe_load(handle))


# --- suggestion ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Selection:
    code: str | None
    explanation: str
    add_ons: tuple[CptAddOn, ...] = ()


def _minutes_text(minutes: int) -> str:
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _band_for(table: tuple[TimeBand, ...], minutes: int) -> TimeBand:
    # Tables are validated contiguous from 0 and open-ended, so exactly one band matches.
    return next(band for band in table if band.contains(minutes))


def _select_individual(data: CptData, minutes: int) -> _Selection:
    band = _band_for(data.psychotherapy_time_table, minutes)
    lead = f"{_minutes_text(minutes)} of individual psychotherapy falls in {band.describe()}"
    if band.code is None:
        shortest = next(b for b in data.psychotherapy_time_table if b.code is not None)
        return _Selection(
            None,
            f"{lead} {_ARROW} not reportable as psychotherapy "
            f"({shortest.code} needs at least {shortest.min_minutes} minutes).",
        )
    return _Selection(band.code, f"{lead} {_ARROW} {band.code}.")


def _select_crisis(data: CptData, minutes: int) -> _Selection:
    band = _band_for(data.crisis_time_table, minutes)
    spoken = f"{_minutes_text(minutes)} of crisis psychotherapy"
    if band.code is None:
        return _Selection(None, f"{spoken} falls in {band.describe()} {_ARROW} not reportable.")
    entry = data.codes[band.code]
    if entry.category == _PSYCHOTHERAPY:
        # crisis_time_table note: crisis under the first-hour minimum is reported as
        # ordinary psychotherapy, including its own minimum (90832 min_minutes).
        first_hour = next(
            b for b in data.crisis_time_table if b.code and data.codes[b.code].category == _CRISIS
        )
        individual = _select_individual(data, minutes)
        return replace(
            individual,
            explanation=(
                f"{spoken} is under the {first_hour.min_minutes}-minute minimum for "
                f"{first_hour.code}, so it is coded as ordinary psychotherapy. "
                f"{individual.explanation}"
            ),
        )
    # _parse_band sets add_on, offset and unit together, or none of them.
    if band.add_on is None or band.add_on_offset_minutes is None or not band.add_on_unit_minutes:
        return _Selection(band.code, f"{spoken} falls in {band.describe()} {_ARROW} {band.code}.")
    # crisis_time_table add_on_units_rule: ceil((minutes - offset) / unit), parsed at load.
    beyond = minutes - band.add_on_offset_minutes
    units = math.ceil(beyond / band.add_on_unit_minutes)
    return _Selection(
        band.code,
        f"{spoken} falls in {band.describe()} {_ARROW} {band.code} for the first "
        f"{band.add_on_offset_minutes} minutes plus {units} unit{'s' if units != 1 else ''} "
        f"of {band.add_on} for the remaining {_minutes_text(beyond)} (one unit per "
        f"{band.add_on_unit_minutes} minutes or part of it).",
        (CptAddOn(band.add_on, units),),
    )


def _select_family(
    data: CptData, minutes: int, *, service: str, client_present: bool
) -> _Selection:
    if service == "collateral":
        # A collateral session is with family members for the client's treatment, without
        # the client: the data's "Family psychotherapy without the patient present".
        code = _FAMILY_WITHOUT_CLIENT
        spoken = "a collateral session (family without the client present)"
    else:
        code = _FAMILY_WITH_CLIENT if client_present else _FAMILY_WITHOUT_CLIENT
        presence = "with" if client_present else "without"
        spoken = f"{service} psychotherapy {presence} the client present"
    # family_time_rule.min_minutes; there is no upper band (max_minutes: null).
    threshold = f"the {data.family_min_minutes}-minute minimum for {code}"
    if minutes < data.family_min_minutes:
        return _Selection(
            None,
            f"{_minutes_text(minutes)} of {spoken} is under {threshold} {_ARROW} not reportable.",
        )
    return _Selection(
        code, f"{_minutes_text(minutes)} of {spoken} meets {threshold} {_ARROW} {code}."
    )


def _select_untimed(code: str, spoken: str, minutes: int) -> _Selection:
    # 90791 and 90853 are `timed: false` in the data (checked at load): minutes do not matter.
    return _Selection(
        code,
        f"{spoken} {_ARROW} {code}; the code is not time-based, so the session length "
        f"({_minutes_text(minutes)}) does not change it.",
    )


def _add_interactive_complexity(data: CptData, selection: _Selection, code: str) -> _Selection:
    complexity = data.codes[_INTERACTIVE_COMPLEXITY]
    primary = data.codes[code]
    claim_codes = {code} | {line.code for line in selection.add_ons}
    # 90785 allowed_with / not_with, and the primary's own allowed_add_ons, must all agree
    # (e.g. 90847 lists no add-ons and 90785 is not_with 90839/90840).
    allowed = (
        code in complexity.allowed_with
        and complexity.code in primary.allowed_add_ons
        and not claim_codes & complexity.not_with
    )
    if not allowed:
        return replace(
            selection,
            explanation=(
                f"{selection.explanation} Interactive complexity ({complexity.code}) may not be "
                f"added to {code}, so it is left off."
            ),
        )
    return replace(
        selection,
        add_ons=(*selection.add_ons, CptAddOn(complexity.code, 1)),
        explanation=(
            f"{selection.explanation} Interactive complexity {_ARROW} add-on {complexity.code}."
        ),
    )


def _place_and_modifiers(
    data: CptData, *, telehealth: bool, audio_only: bool, client_at_home: bool | None
) -> tuple[str | None, tuple[str, ...], str]:
    pos = data.place_of_service
    if not telehealth:
        place = _POS_HOME if client_at_home else _POS_OFFICE
        where = "at the client's home" if client_at_home else "in the office"
        return place, (), f"In person {where} {_ARROW} place of service {place} ({pos[place]})."
    # modifiers.telehealth: 95 = real-time audio and video, 93 = telephone / audio-only.
    modifier = _MODIFIER_AUDIO_ONLY if audio_only else _MODIFIER_VIDEO
    medium = "Audio-only telehealth" if audio_only else "Video telehealth"
    modifier_text = f"modifier {modifier} ({data.telehealth_modifiers[modifier]})"
    if client_at_home is None:
        return (
            None,
            (modifier,),
            f"{medium} {_ARROW} {modifier_text}. Place of service depends on where the client "
            f"was: {_POS_TELEHEALTH_HOME} at home, {_POS_TELEHEALTH_ELSEWHERE} elsewhere; "
            "record the client's location.",
        )
    place = _POS_TELEHEALTH_HOME if client_at_home else _POS_TELEHEALTH_ELSEWHERE
    where = "at home" if client_at_home else "not at home"
    return (
        place,
        (modifier,),
        f"{medium} with the client {where} {_ARROW} place of service {place} "
        f"({pos[place]}) and {modifier_text}.",
    )


def _check_inputs(
    *, service: str, minutes: int, telehealth: bool, audio_only: bool, client_present: bool
) -> None:
    if service not in SERVICES:
        raise ValueError(f"Unknown service {service!r}; expected one of {', '.join(SERVICES)}.")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError(f"minutes must be a whole number, got {minutes!r}.")
    if minutes < 0:
        raise ValueError(f"minutes cannot be negative, got {minutes}.")
    if minutes > MAX_SESSION_MINUTES:
        raise ValueError(
            f"{minutes} minutes is longer than a day ({MAX_SESSION_MINUTES} minutes); "
            "check the session times."
        )
    if audio_only and not telehealth:
        raise ValueError("telehealth_audio_only needs telehealth=True.")
    # Data header time rule: psychotherapy time is "with the patient and/or family (patient
    # present for all or part)"; only the family codes have a without-client variant.
    if not client_present and service in ("individual", "group", "crisis"):
        raise ValueError(
            f"{service} psychotherapy needs the client present for all or part of the session; "
            "use service='collateral' (or family/couples with client_present=False) instead."
        )


def suggest_cpt(
    *,
    service: str,
    minutes: int,
    telehealth: bool = False,
    telehealth_audio_only: bool = False,
    client_at_home: bool | None = None,
    client_present: bool = True,
    interactive_complexity: bool = False,
) -> CptSuggestion:
    """Suggest the CPT code, add-ons, place of service and modifiers for one session.

    `minutes` is psychotherapy time with the client (data header: not documentation or a
    separate E/M). `service` is one of SERVICES; `collateral` always means the client was
    absent. Raises ValueError for an unknown service, negative minutes, more than a day,
    audio-only without telehealth, or an absent client on a service that needs them.
    """
    _check_inputs(
        service=service,
        minutes=minutes,
        telehealth=telehealth,
        audio_only=telehealth_audio_only,
        client_present=client_present,
    )
    data = load_cpt_data()
    match service:
        case "intake":
            selection = _select_untimed(_INTAKE, "An intake assessment", minutes)
        case "group":
            selection = _select_untimed(_GROUP, "Group psychotherapy", minutes)
        case "individual":
            selection = _select_individual(data, minutes)
        case "crisis":
            selection = _select_crisis(data, minutes)
        case _:
            selection = _select_family(
                data, minutes, service=service, client_present=client_present
            )

    if selection.code is None:
        return CptSuggestion(
            code=None,
            units=0,
            add_ons=(),
            place_of_service=None,
            modifiers=(),
            explanation=selection.explanation,
            reportable=False,
        )
    if interactive_complexity:
        selection = _add_interactive_complexity(data, selection, selection.code)
    place, modifiers, setting = _place_and_modifiers(
        data,
        telehealth=telehealth,
        audio_only=telehealth_audio_only,
        client_at_home=client_at_home,
    )
    return CptSuggestion(
        code=selection.code,
        # 90839 is "once per day", 90853 "per patient per session": the primary is one unit.
        units=1,
        add_ons=selection.add_ons,
        place_of_service=place,
        modifiers=modifiers,
        explanation=f"{selection.explanation} {setting}",
        reportable=True,
    )
