"""EXPLAIN (ANALYZE, BUFFERS) of the directory's real query (the page with its
capped count, one statement, exactly as `directory.selectors` builds it) for
searches of every kind the benchmark sends, "every search new" ones with a fixed
amount. run.py writes them to docs/plans/ (artifacts/ is not kept in git);
docs/performance.md quotes them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import QueryDict

from bench.directory.queries import BOTH, BOTH_DEEP, BOTH_UNIQUE, FILTERS_DEEP, FILTERS_UNIQUE, TEXT
from directory import selectors
from directory.filters import BankerSearchForm

AMOUNT = "123456.78"


def _searches() -> list[str]:
    """Every uncached kind's searches, then a sample of the others."""
    unique = [{**p, "amount": AMOUNT} for p in (*FILTERS_UNIQUE, *BOTH_UNIQUE)]
    sample = [*TEXT[:4], BOTH[0], {**FILTERS_DEEP[0], "page": "20"}, {**BOTH_DEEP[1], "page": "20"}]
    return [urlencode(p) for p in (*unique, *sample)]


def plans() -> str:
    out: list[str] = []
    for query in _searches():
        form = BankerSearchForm(QueryDict(query))
        assert form.is_valid(), form.errors
        sql, args = selectors._page_sql(form.params())
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", args)  # warm
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", args)
            lines = [row[0] for row in cursor.fetchall()]
        out.append(f"=== {query}\n" + "\n".join(lines) + "\n")
    return "\n".join(out)
