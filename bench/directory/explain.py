"""EXPLAIN (ANALYZE, BUFFERS) of the directory's real queries as the API runs
them (`directory.selectors`, `use_estimates`): PostgreSQL's estimates and what
they decided (counted or estimated, how each relevance tier is read), then the
page statement, for searches of every kind the benchmark sends, "every search
new" ones with a fixed amount. run.py writes them to docs/plans/ (artifacts/ is
not kept in git); docs/performance.md quotes them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import QueryDict

from bench.directory.queries import BOTH, BOTH_DEEP, BOTH_UNIQUE, FILTERS_DEEP, FILTERS_UNIQUE, TEXT
from directory import search_sql, selectors
from directory.estimates import bound
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
        params = form.params()
        estimates = selectors._estimates(params)
        estimate = selectors._estimated_count(params, estimates)
        sql, args = search_sql.page_sql(params, count=estimate is None, estimates=estimates)
        end = sum(search_sql._rows_to_read(params))
        walks = (
            search_sql.tier_walks(estimates, end, one_word=search_sql.one_word(params))
            if estimates.tiers
            else None
        )
        decided = (
            f"-- {estimates}; count: {'estimated' if estimate is not None else 'counted'}; "
            f"tier walks (None: text index first): {walks}"
        )
        with connection.cursor() as cursor:
            statement = "EXPLAIN (ANALYZE, BUFFERS) " + bound(sql, args)  # as the API binds it
            cursor.execute(statement)  # warm
            cursor.execute(statement)
            lines = [row[0] for row in cursor.fetchall()]
        out.append(f"=== {query}\n{decided}\n" + "\n".join(lines) + "\n")
    return "\n".join(out)
