from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tend.core.dates import day_start, on_days


def test_a_day_starts_at_local_midnight_and_the_autumn_change_day_lasts_25_hours() -> None:
    first = day_start(date(2026, 11, 1), "America/Chicago")
    assert first.astimezone(UTC) == datetime(2026, 11, 1, 5, tzinfo=UTC)  # still CDT, UTC-5
    after = day_start(date(2026, 11, 2), "America/Chicago")
    assert after.astimezone(UTC) == datetime(2026, 11, 2, 6, tzinfo=UTC)  # CST, UTC-6
    # Aware datetimes of one zone subtract by wall clock: compare the instants.
    assert after.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=25)


def test_the_range_includes_the_whole_last_day_and_leaves_open_ends_open() -> None:
    both = on_days("signed_at", date(2026, 11, 3), date(2026, 11, 10), "America/Chicago")
    assert both.children == [
        ("signed_at__gte", datetime(2026, 11, 3, 6, tzinfo=UTC)),
        ("signed_at__lt", datetime(2026, 11, 11, 6, tzinfo=UTC)),
    ]
    assert on_days("signed_at", None, None, "America/Chicago").children == []
