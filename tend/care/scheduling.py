"""Wall-clock time and recurrence rules for the schedule (pure functions, no database).

Appointments are stored in UTC; people book and read them in the organization's time
zone. A recurring series keeps its wall-clock time: a weekly 10:00 session stays at 10:00
local time after a daylight-saving change, so its UTC instant moves by an hour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError

# An open-ended rule (no COUNT or UNTIL) is materialized this far ahead; a practice books
# again when the horizon nears rather than storing an unbounded future.
OPEN_ENDED_HORIZON: Final = timedelta(days=366)
MAX_OCCURRENCES: Final = 200
_ALLOWED_FREQUENCIES: Final = {"DAILY", "WEEKLY", "MONTHLY"}


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A naive wall-clock datetime in `zone_name`, as an aware UTC datetime."""
    return local.replace(tzinfo=ZoneInfo(zone_name)).astimezone(UTC)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """An aware instant as a naive wall-clock datetime in `zone_name`."""
    return instant.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)


def parse_rule(rule: str, first: datetime) -> rrule:
    """Parse an RFC 5545 RRULE (without DTSTART) anchored at the naive local `first`.

    Raises ValidationError on the `rule` field for text that is not a rule we accept.
    """
    text = rule.strip().removeprefix("RRULE:")
    parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
    if not text or parts.get("FREQ") not in _ALLOWED_FREQUENCIES:
        raise ValidationError(
            {"rule": "Write a rule such as FREQ=WEEKLY;COUNT=12 (daily, weekly or monthly)."}
        )
    try:
        parsed = rrulestr(text, dtstart=first)
    except (ValueError, TypeError) as error:
        raise ValidationError({"rule": f"This repeat rule is not valid: {error}"}) from error
    if not isinstance(parsed, rrule):
        raise ValidationError({"rule": "Give one repeat rule."})
    return parsed


def occurrence_starts(rule: str, first: datetime) -> list[datetime]:
    """Naive local start times of a series (the first one included), bounded.

    Raises ValidationError when the rule yields nothing or more than MAX_OCCURRENCES.
    """
    parsed = parse_rule(rule, first)
    horizon = first + OPEN_ENDED_HORIZON
    starts: list[datetime] = []
    for start in parsed:
        if start > horizon:
            break
        starts.append(start)
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError(
                {"rule": f"A series may have at most {MAX_OCCURRENCES} appointments."}
            )
    if not starts:
        raise ValidationError({"rule": "This rule gives no appointments."})
    return starts


def day_bounds(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants at which a local calendar day starts and the next one starts."""
    return (
        to_utc(datetime.combine(day, time.min), zone_name),
        to_utc(datetime.combine(day + timedelta(days=1), time.min), zone_name),
    )
