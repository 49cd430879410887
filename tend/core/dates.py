"""An organization's calendar days, for filtering stored instants by local date.

Instants are stored in UTC; a date the user picks means a day where the organization
works. Django's `__date` lookups would cut days in the server's time zone instead, which
moves records near midnight into the wrong day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q


def day_start(day: date, zone_name: str) -> datetime:
    """The aware instant at which `day` begins in the time zone `zone_name`."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone_name))


def on_days(field: str, first: date | None, last: date | None, zone_name: str) -> Q:
    """Rows whose instant `field` falls on a day from `first` to `last`, both included and
    either left open, as the days run in the time zone `zone_name`."""
    condition = Q()
    if first is not None:
        condition &= Q(**{f"{field}__gte": day_start(first, zone_name)})
    if last is not None:
        condition &= Q(**{f"{field}__lt": day_start(last + timedelta(days=1), zone_name)})
    return condition
