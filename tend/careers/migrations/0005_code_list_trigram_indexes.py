"""PostgreSQL: trigram indexes on the code lists a job search filters on.

States, licence families, modalities and populations are stored as space-padded code
lists (" TX CA ") and matched with LIKE '% TX %'. Without an index PostgreSQL read every
posting matching the search words to test the state; with these it intersects the
text-search index with the filters first (pg_trgm is installed by clients 0002).
SQLite's search runs through its FTS5 table and needs none.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

COLUMNS = ("licensed_states", "license_families", "modalities", "populations")


def _create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(
                f"CREATE INDEX careers_posting_{column}_trgm ON careers_jobposting "
                f"USING GIN ({column} gin_trgm_ops)"
            )


def _drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS careers_posting_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0004_stored_search_vector"),
        ("clients", "0002_client_name_trigram_index"),
    ]

    operations = [migrations.RunPython(_create, _drop)]
