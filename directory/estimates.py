"""PostgreSQL's estimates for a search (`search_sql.Estimates`), remembered.

The planner estimates a search's text and tags, and its amount, separately,
and multiplies them: it takes the clauses as independent. So the estimates of
a search with an amount are those of its text and tags, which every amount of
that search shares, scaled by the share of listed bankers who hold the amount
(`Estimates.with_amount_share`). Each half is one EXPLAIN (the text and tags'
about 1 ms of planning at 100,000 bankers, the amount's a tenth of that), and
each is remembered in this process for ESTIMATES_SECONDS (unless the search
cache is off, DIRECTORY_SEARCH_CACHE_SECONDS = 0: then nothing is).

A new amount is what business owners type, and with the amount classes
(`amount_classes`) it is answered from the search cache, but each class's
first search in a cache period still runs in full: it then reuses the text and
tags' estimates that another amount of the same search made.

Estimates change only when PostgreSQL's statistics do (ANALYZE, after a tenth
of the table has changed). One that is out of date moves only the cost of a
search, never its answer (`search_sql.tier_walks`), except the count, which
says it is an estimate.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connection
from psycopg import ClientCursor

from .filters import Ordering, SearchParams
from .search_sql import (
    AMOUNT_SHARE_SQL,
    Estimates,
    amount_share_from_plan,
    estimates_from_plan,
    estimates_sql,
)

# How long an estimate is used before the planner is asked again.
ESTIMATES_SECONDS = 300
# Searches (text and tags) and amounts remembered per process, each.
REMEMBERED = 1024

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class _Remembered(Generic[Key, Value]):
    """Values by key for ESTIMATES_SECONDS, the REMEMBERED most recently made."""

    def __init__(self) -> None:
        self._values: OrderedDict[Key, tuple[float, Value]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key, make: Callable[[], Value]) -> Value:
        """The value remembered for `key`, or `make()`'s, remembered now; with the
        search cache off (DIRECTORY_SEARCH_CACHE_SECONDS = 0), always `make()`'s."""
        if not settings.DIRECTORY_SEARCH_CACHE_SECONDS:
            return make()
        now = time.monotonic()
        with self._lock:
            known = self._values.get(key)
        if known is not None and now - known[0] < ESTIMATES_SECONDS:
            return known[1]
        value = make()
        with self._lock:
            self._values[key] = (now, value)
            self._values.move_to_end(key)
            while len(self._values) > REMEMBERED:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_SearchKey = tuple[str, str, str, str, str, bool | None, bool]
_by_search: _Remembered[_SearchKey, Estimates] = _Remembered()
_by_amount: _Remembered[Decimal, float] = _Remembered()


def search_estimates(params: SearchParams) -> Estimates:
    """PostgreSQL's estimates for the search, its amount included."""
    key = (
        params.q,
        params.product,
        params.industry,
        params.region,
        params.availability,
        params.accepting,
        params.effective_ordering == Ordering.RELEVANCE,
    )
    estimates = _by_search.get(key, lambda: _text_and_tags(params))
    amount = params.amount
    if amount is None:
        return estimates
    return estimates.with_amount_share(_by_amount.get(amount, lambda: _amount_share(amount)))


def forget() -> None:
    """Drop this process's estimates (tests: each test has its own data)."""
    _by_search.clear()
    _by_amount.clear()


def _text_and_tags(params: SearchParams) -> Estimates:
    sql, args, parts = estimates_sql(params)
    return estimates_from_plan(_plan(sql, args), parts)


def _amount_share(amount: Decimal) -> float:
    return amount_share_from_plan(_plan(AMOUNT_SHARE_SQL, [amount]))


def bound(sql: str, args: list[object]) -> str:
    """The statement with its values bound on the client.

    Bound on the server, the statement would be prepared after a few runs
    (DJANGO_DB_PREPARE_THRESHOLD) and PostgreSQL would then reuse a generic
    plan for every search of that shape: the plan for a rare word applied to a
    common one, and the reverse. A search's best plan (and its estimates)
    depend on its values, so each is planned with them (about 0.3 ms,
    measured), by psycopg's own client-side binding, which quotes every value."""
    connection.ensure_connection()
    return ClientCursor(connection.connection).mogrify(sql, args)


def _plan(sql: str, args: list[object]) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute(bound(sql, args))
        plan: dict[str, object] = cursor.fetchone()[0][0]["Plan"]
    return plan
