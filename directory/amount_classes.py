"""Amounts that answer alike, so a new amount can be answered from the search cache.

The amount filter keeps the bankers whose range, minimum to maximum, holds the
amount. So a search depends on its amount only through *which* ranges hold it.
The ranges' ends cut every amount into classes:

- the boundaries are each listed banker's minimum, and each maximum plus one
  cent (money has two decimal places);
- between two consecutive boundaries, the same bankers hold every amount, so
  every search answers alike for all of them.

Business owners type new amounts all the time ($137,500, $212,000.50), while
bankers set a few round ones. The search cache (`search_cache`) therefore
searches with, and keys by, the lowest amount of the amount's class: its
`floor`. Every amount in the class gets the same answer, because it is the
same answer. Amounts below every boundary are held by no one, and their floor
is zero.

The boundaries are read from the listing table (one index probe per distinct
value), once per cache generation and process. The cache generation changes
with every listing change, so the classes follow the listing exactly as the
cached pages do, and with the same bound, the cache's expiry, for a change that
announced nothing (plain SQL). Past MAX_BOUNDARIES distinct values on either
side, the classes are too fine to be worth their memory, and amounts are taken
as they are.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.db import connection

from .filters import SearchParams
from .models import Listing

# Distinct minimums (and maximums) read at most. Bankers pick round amounts:
# the bench's 100,000 have 7 minimums and 25 maximums.
MAX_BOUNDARIES = 1000
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

_TABLE = Listing._meta.db_table
# A loose index scan per column: each step is one probe of the column's index
# for the next larger value, so the cost follows the distinct values, not the rows.
_DISTINCT = f"""
WITH RECURSIVE lows(v) AS (
    (SELECT min_loan_amount FROM {_TABLE} ORDER BY min_loan_amount LIMIT 1)
    UNION ALL
    SELECT (SELECT min_loan_amount FROM {_TABLE} WHERE min_loan_amount > lows.v
            ORDER BY min_loan_amount LIMIT 1)
    FROM lows WHERE lows.v IS NOT NULL
), highs(v) AS (
    (SELECT max_loan_amount FROM {_TABLE} WHERE max_loan_amount IS NOT NULL
     ORDER BY max_loan_amount LIMIT 1)
    UNION ALL
    SELECT (SELECT max_loan_amount FROM {_TABLE} WHERE max_loan_amount > highs.v
            ORDER BY max_loan_amount LIMIT 1)
    FROM highs WHERE highs.v IS NOT NULL
)
(SELECT false, v FROM lows WHERE v IS NOT NULL LIMIT %s)
UNION ALL
(SELECT true, v FROM highs WHERE v IS NOT NULL LIMIT %s)
"""  # noqa: S608 - the table's own name, no input


@dataclass(frozen=True)
class Boundaries:
    """The boundaries read under one cache generation; `values` None: too many."""

    generation: str
    loaded_at: float
    values: tuple[Decimal, ...] | None


def read_boundaries(generation: str) -> Boundaries:
    """Every minimum and every maximum plus a cent, sorted, from the listing table."""
    with connection.cursor() as cursor:
        cursor.execute(_DISTINCT, [MAX_BOUNDARIES + 1, MAX_BOUNDARIES + 1])
        rows = cursor.fetchall()
    lows = [value for is_high, value in rows if not is_high]
    highs = [value + CENT for is_high, value in rows if is_high]
    if len(lows) > MAX_BOUNDARIES or len(highs) > MAX_BOUNDARIES:
        return Boundaries(generation, time.monotonic(), None)
    return Boundaries(generation, time.monotonic(), tuple(sorted({*lows, *highs})))


def floor(amount: Decimal, values: tuple[Decimal, ...]) -> Decimal:
    """The lowest amount of `amount`'s class (module docstring)."""
    position = bisect_right(values, amount)
    return values[position - 1] if position else ZERO


# This process's boundaries, replaced whole (never changed in place), so
# threads serving pages share it without a lock.
_current: Boundaries | None = None


def _boundaries(generation: str) -> Boundaries:
    """This process's boundaries for `generation`, read again when they were read
    under another one or before the cache's expiry (a change that announced nothing)."""
    global _current
    known = _current
    if known is None or known.generation != generation or _expired(known):
        known = _current = read_boundaries(generation)
    return known


def _expired(known: Boundaries) -> bool:
    return time.monotonic() - known.loaded_at >= settings.DIRECTORY_SEARCH_CACHE_SECONDS


def by_class(params: SearchParams, generation: str | None = None) -> SearchParams:
    """`params` with the amount's class floor in place of the amount.

    With a `generation` (the cache's, just read), the boundaries are those of
    that generation, read now if this process has not yet. Without one, this
    process's latest boundaries are used as they are: a guess at the cache
    key, which the caller checks once it knows the generation."""
    if params.amount is None:
        return params
    known = _current if generation is None else _boundaries(generation)
    if known is None or known.values is None:
        return params
    return replace(params, amount=floor(params.amount, known.values))


def forget() -> None:
    """Drop this process's boundaries (tests)."""
    global _current
    _current = None
