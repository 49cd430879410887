"""Full-text search for postings, per database engine (each half guarded by vendor).

PostgreSQL: a GIN index on the same to_tsvector expression the search selector uses.
SQLite: an FTS5 table over `search_document`, kept in step by triggers (external
content, so the text is stored once).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE careers_jobposting_fts USING fts5(search_document, "
    "content='careers_jobposting', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER careers_jobposting_fts_ai AFTER INSERT ON careers_jobposting BEGIN "
    "INSERT INTO careers_jobposting_fts(rowid, search_document) "
    "VALUES (new.id, new.search_document); END",
    "CREATE TRIGGER careers_jobposting_fts_ad AFTER DELETE ON careers_jobposting BEGIN "
    "INSERT INTO careers_jobposting_fts(careers_jobposting_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); END",
    "CREATE TRIGGER careers_jobposting_fts_au AFTER UPDATE OF search_document "
    "ON careers_jobposting BEGIN "
    "INSERT INTO careers_jobposting_fts(careers_jobposting_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); "
    "INSERT INTO careers_jobposting_fts(rowid, search_document) "
    "VALUES (new.id, new.search_document); END",
    "INSERT INTO careers_jobposting_fts(careers_jobposting_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS careers_jobposting_fts_au",
    "DROP TRIGGER IF EXISTS careers_jobposting_fts_ad",
    "DROP TRIGGER IF EXISTS careers_jobposting_fts_ai",
    "DROP TABLE IF EXISTS careers_jobposting_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX careers_posting_search_gin ON careers_jobposting USING GIN "
    "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS careers_posting_search_gin"]


def _run(statements: dict[str, list[str]]) -> Any:
    def operation(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("careers", "0001_postings_and_applications")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
