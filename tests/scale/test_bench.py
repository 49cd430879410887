"""`tend bench` end to end on a tiny seeded organization (no timing is asserted)."""

from __future__ import annotations

import json
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

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


def test_it_times_every_key_page_and_writes_json_and_markdown(db: None, tmp_path: Path) -> None:
    seed_organization(TINY)
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
    assert result["data"]["clients"] == TINY.clients
    markdown = (tmp_path / "tiny.md").read_text()
    assert markdown in output.getvalue()
    assert "| client chart |" in markdown
