"""Query shapes shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Model, QuerySet, Window


def first_rows_and_total[M: Model](queryset: QuerySet[M, Any], count: int) -> tuple[list[M], int]:
    """The queryset's first `count` rows and how many rows it has in all, in one query: the
    total is a window count over every row, taken before the limit applies."""
    rows = list(queryset.annotate(rows_in_all=Window(Count("pk")))[:count])
    return rows, rows[0].rows_in_all if rows else 0
