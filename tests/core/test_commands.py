from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tend.accounts.models import Membership, Organization, User
from tend.audit.services import audit_chain_verify
from tend.demo.loader import load_demo
from tend.demo.people import DEMO_ORGANIZATIONS


def test_createorg_makes_an_organization_and_its_owner(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a sturdy passphrase 9\n"))
    out = io.StringIO()
    call_command(
        "createorg",
        "Lakeside Therapy",
        "--state",
        "MN",
        "--kind",
        "private_practice",
        "--owner-email",
        "Owner@Lakeside.test",
        "--owner-name",
        "Lee Lake",
        "--password-stdin",
        stdout=out,
    )
    organization = Organization.objects.get(name="Lakeside Therapy")
    owner = User.objects.get(email="owner@lakeside.test")
    assert owner.check_password("a sturdy passphrase 9")
    assert list(
        Membership.objects.filter(organization=organization).values_list("user__email", "role")
    ) == [("owner@lakeside.test", "owner")]
    assert "Created Lakeside Therapy with owner owner@lakeside.test." in out.getvalue()


def test_createorg_refuses_a_weak_password_and_creates_nothing(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("12345\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command(
            "createorg",
            "Weak",
            "--state",
            "MN",
            "--owner-email",
            "w@weak.test",
            "--owner-name",
            "W",
            "--password-stdin",
        )
    assert not Organization.objects.exists()
    assert not User.objects.exists()


def test_the_demo_creates_two_organizations_with_every_role(db: None) -> None:
    load_demo()
    demo_names = {spec.name for spec in DEMO_ORGANIZATIONS}
    assert set(Organization.objects.filter(name__in=demo_names).values_list("name", flat=True)) == (
        demo_names
    )
    for spec in DEMO_ORGANIZATIONS:
        roles = set(
            Membership.objects.filter(organization__name=spec.name).values_list("role", flat=True)
        )
        assert {"owner", "clinician", "supervisor", "associate", "front_desk", "biller"} <= roles
        assert (
            Membership.objects.filter(organization__name=spec.name, role="clinician").count() >= 2
        )
        assert (
            Membership.objects.filter(organization__name=spec.name, role="associate").count() == 2
        )
    assert audit_chain_verify().intact


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite online backup")
def test_backup_writes_a_consistent_sqlite_copy(transactional_db: None, tmp_path: Path) -> None:
    load_demo()
    target = tmp_path / "copy.sqlite3"
    out = io.StringIO()
    call_command("backup", "--output", str(target), stdout=out)
    copy = sqlite3.connect(target)
    try:
        (users,) = copy.execute("SELECT COUNT(*) FROM accounts_user").fetchone()
    finally:
        copy.close()
    assert users == User.objects.count()
    assert f"Backup written to {target}" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump")
def test_backup_runs_pg_dump_on_postgresql(db: None, tmp_path: Path) -> None:
    target = tmp_path / "copy.pgdump"
    call_command("backup", "--output", str(target), stdout=io.StringIO())
    assert target.read_bytes()[:5] == b"PGDMP"
