"""`tend bench` end to end on a tiny seeded organization (no timing is asserted)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from rich.console import Console

from tend.coordination.models import Referral
from tend.scale.people import ORGANIZATION_TIMEZONE
from tend.scale.profiles import PROFILES
from tend.scale.seed import seed_organization

TINY = replace(PROFILES["small"], name="tiny", clinicians=5, clients=80, job_postings=30)
PAGES = {
    "caseload list",
    "client search",
    "client chart",
    "measures trend",
    "calendar week",
    "dashboard",
    "job search",
    "assessment",
    "treatment plan",
    "note editor",
    "co-sign queue",
    "referral",
    "hours progress",
    "hours progress API",
}


def test_it_refuses_without_a_seeded_organization(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="run `tend seed --profile small` first"):
        call_command("bench", output=str(tmp_path), stdout=StringIO())


# The seed's data depends on its day and time, and the bench reads as of "now": both are
# pinned so that the tiny organization is the same on every run. (On some days its busiest
# clinician has made no referral, and the bench rightly skips that page.)
TODAY = date(2026, 11, 26)


@time_machine.travel(datetime(2026, 11, 26, 12, 30, tzinfo=ZoneInfo(ORGANIZATION_TIMEZONE)))
def test_it_times_every_key_page_and_writes_json_and_markdown(db: None, tmp_path: Path) -> None:
    seed_organization(TINY, console=Console(file=StringIO()), today=TODAY)
    output = StringIO()
    call_command(
        "bench",
        requests=2,
        warmup=1,
        server_requests=0,
        output=str(tmp_path),
        name="tiny",
        stdout=output,
    )
    result = json.loads((tmp_path / "tiny.json").read_text())
    pages = {page["name"]: page for page in result["pages"]}
    assert set(pages) == PAGES
    assert {page["status"] for page in pages.values()} == {200}
    assert all(page["queries"] >= 3 and page["raw_sql_ms"] is not None for page in pages.values())
    assert result["skipped"] == []
    # Each page says whether it met its own targets, as its numbers have it.
    for page in pages.values():
        assert page["meets_time_target"] == (page["p95_ms"] <= page["target_ms"])
        assert page["meets_ratio_target"] == (page["ratio"] <= 2.0)
    assert pages["job search"]["target_ms"] == 30.0
    assert result["data"]["clients"] == TINY.clients
    markdown = (tmp_path / "tiny.md").read_text()
    assert markdown in output.getvalue()
    assert "| client chart |" in markdown

    # With nothing of a kind to time, the bench says so instead of failing.
    Referral.objects.all().delete()
    call_command(
        "bench", requests=1, warmup=0, server_requests=0, output=str(tmp_path), name="bare",
        stdout=StringIO(),
    )  # fmt: skip
    bare = json.loads((tmp_path / "bare.json").read_text())
    assert bare["skipped"] == [{"name": "referral", "reason": "nothing of the kind was seeded"}]
    assert {page["name"] for page in bare["pages"]} == PAGES - {"referral"}
