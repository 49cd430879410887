from __future__ import annotations

import pytest

from tend.settings import database_config


def test_sqlite_is_the_embedded_default_with_wal_and_immediate_transactions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    for name in ("DATABASE_URL", "PGDATABASE", "PGHOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEND_SQLITE_PATH", f"{tmp_path}/tend.sqlite3")
    config = database_config()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    options = config["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] == 10


def test_pg_variables_select_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PGHOST", "db.internal")
    monkeypatch.setenv("PGDATABASE", "tend_prod")
    monkeypatch.setenv("PGPORT", "6432")
    config = database_config()
    assert (config["ENGINE"], config["NAME"], config["HOST"], config["PORT"]) == (
        "django.db.backends.postgresql",
        "tend_prod",
        "db.internal",
        "6432",
    )


def test_database_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGHOST", "ignored")
    monkeypatch.setenv("DATABASE_URL", "postgres://tend:secret@pg.example:5433/tenddb")
    config = database_config()
    assert (config["ENGINE"], config["NAME"], config["HOST"], config["PORT"], config["USER"]) == (
        "django.db.backends.postgresql",
        "tenddb",
        "pg.example",
        5433,
        "tend",
    )
