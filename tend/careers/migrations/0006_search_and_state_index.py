"""PostgreSQL: one GIN index over the search words and the licensed states together.

The commonest job search is words plus the searcher's state. With an index each, the
database built a bitmap of every posting matching the words (a quarter of the board for
a common word) and one of every posting licensed in the state, then intersected them; a
two-column GIN index matches both conditions in one scan, skipping through the longer
list with the shorter. It serves words alone and a state alone as well as a one-column
index does, so it replaces both. SQLite searches through its FTS5 table and needs none.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE INDEX careers_posting_search_state_gin ON careers_jobposting "
    "USING GIN (search_vector, licensed_states gin_trgm_ops)",
    "DROP INDEX IF EXISTS careers_posting_search_vector_gin",
    "DROP INDEX IF EXISTS careers_posting_licensed_states_trgm",
]
BACKWARD = [
    "CREATE INDEX careers_posting_search_vector_gin ON careers_jobposting "
    "USING GIN (search_vector)",
    "CREATE INDEX careers_posting_licensed_states_trgm ON careers_jobposting "
    "USING GIN (licensed_states gin_trgm_ops)",
    "DROP INDEX IF EXISTS careers_posting_search_state_gin",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("careers", "0005_code_list_trigram_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
