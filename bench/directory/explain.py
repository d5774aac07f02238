"""EXPLAIN ANALYZE of the directory's real query (the page, with its capped count as
a scalar subquery) for one search of each kind, as Django generates it. run.py writes the plans to
artifacts/bench-directory-explain.txt; docs/performance.md quotes them."""

from __future__ import annotations

from django.db import connection
from django.http import QueryDict

from directory import selectors
from directory.filters import BankerSearchForm

SEARCHES = [
    "q=equipment",
    "q=equipment&page=20",
    "product=equipment_financing&amount=250000&region=CA&availability=available",
    "product=sba_loan&ordering=min_amount&page=20",
    "q=harbor&product=term_loan",
]


def plans() -> str:
    out: list[str] = []
    for query in SEARCHES:
        form = BankerSearchForm(QueryDict(query))
        assert form.is_valid(), form.errors
        params = form.params()
        sql, args = selectors._page_sql(params)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", args)  # warm
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", args)
            lines = [row[0] for row in cursor.fetchall()]
        out.append(f"=== {query}\n" + "\n".join(lines) + "\n")
    return "\n".join(out)
