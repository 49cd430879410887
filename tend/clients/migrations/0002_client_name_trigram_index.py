"""A trigram index for the client name search, on PostgreSQL only.

The search (`tend.clients.selectors.caseload_page`) matches each term anywhere in the legal
first, legal last or preferred name, case-insensitively: Django writes
`UPPER("name"::text) LIKE UPPER('%term%')`, which no B-tree can serve. A GIN index with
pg_trgm's operator class over the same three expressions can, for terms of three letters
or more. SQLite has no such index; the same query scans there, as it did before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX_NAME = "clients_client_name_trgm"
CREATE_INDEX = (
    f"CREATE INDEX {INDEX_NAME} ON clients_client USING GIN ("
    "UPPER(legal_first_name::text) gin_trgm_ops, "
    "UPPER(legal_last_name::text) gin_trgm_ops, "
    "UPPER(preferred_name::text) gin_trgm_ops)"
)


def create_name_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_name_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [
        # Django's operation does nothing on other databases. pg_trgm is a trusted
        # extension (PostgreSQL 13+): the database owner may create it without superuser.
        TrigramExtension(),
        migrations.RunPython(create_name_index, drop_name_index),
    ]
