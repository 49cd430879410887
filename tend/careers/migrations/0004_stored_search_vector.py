"""PostgreSQL: keep each posting's text-search vector in a stored generated column.

Ranking results by relevance read `to_tsvector(search_document)` for every matching
posting; a common word over 100,000 postings matched thousands and spent most of the
search re-parsing their text. The column is computed by PostgreSQL from
`search_document` (so no writer can forget it) and replaces the expression index.
SQLite keeps its FTS5 table from 0002.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "ALTER TABLE careers_jobposting ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, COALESCE(search_document, ''))) STORED",
    "CREATE INDEX careers_posting_search_vector_gin ON careers_jobposting "
    "USING GIN (search_vector)",
    "DROP INDEX IF EXISTS careers_posting_search_gin",
]
BACKWARD = [
    "CREATE INDEX careers_posting_search_gin ON careers_jobposting USING GIN "
    "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))",
    "ALTER TABLE careers_jobposting DROP COLUMN search_vector",
]


def _on_postgresql(statements: list[str]) -> Any:
    def operation(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("careers", "0003_saved_searches")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
