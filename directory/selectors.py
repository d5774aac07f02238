"""Reads for the banker directory: search over the listing table and one public profile.

Search reads only `directory.models.Listing` (one narrow row per listed banker,
kept in step by triggers), in one statement per page with its capped count
(`directory.search_sql` builds it, and says how relevance ranks).

Counting is most of an uncached search's cost when many match (finding 501
matches reads about 900 rows), so a caller may act on PostgreSQL's estimates
instead (`use_estimates`, the API): the planner's row estimates
(`directory.estimates`: an EXPLAIN of the search's text and tags and one of
its amount, each remembered for a while). Below EXACT_COUNT_BELOW matches the search counts (few matches are
cheap to count); otherwise the count is the estimate, flagged as one, never
below what the page itself proves, and exact whenever the page is the last.
The same estimates say how many bankers each relevance tier holds, so each
tier is read the cheaper way (`search_sql.tier_walks`). Of text of more than
one word, only an estimate over SEARCH_CAP is taken as a count (and tiers
take its estimates as 20 times larger): the planner takes words as
independent, and names and phrases are not, so it estimates too few (it put
"Pacific Trust" at 228 of 4,505 matches, "fast closings" at 515 of 3,011).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef

from accounts.models import BankerProfile
from b2bbank.domain_errors import NotFound

from . import search_sql
from .estimates import bound, search_estimates
from .filters import SearchParams
from .models import Listing
from .search_sql import (
    LIST_FIELDS,
    SEARCH_CAP,
    Estimates,
    one_word,
    page_sql,
    page_window,
)

__all__ = [
    "EXACT_COUNT_BELOW",
    "LIST_FIELDS",
    "SEARCH_CAP",
    "BankerPage",
    "banker_public_profile",
    "banker_search_page",
]

# With `use_estimates`, a search PostgreSQL expects fewer matches for than
# this is counted: its GIN scan and table reads are small. Most of what an
# uncached search costs above it is the count (docs/performance.md).
EXACT_COUNT_BELOW = 100


@dataclass(frozen=True)
class BankerPage:
    """One page of results. `count` is exact up to SEARCH_CAP; `count_capped`
    says more bankers matched than were counted. With `count_is_estimate`, both
    come from PostgreSQL's estimate (module docstring). `has_next` is known
    exactly either way: the page reads one row past its end."""

    rows: list[dict[str, Any]]
    count: int
    count_capped: bool
    page: int
    page_size: int
    has_next: bool
    count_is_estimate: bool = False
    # With `as_json`: the shown results as a JSON array of the API's items, as
    # PostgreSQL writes them (`search_sql.ITEM_KEYS`), and `rows` empty.
    results_json: str | None = None

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


_EXTRA_KEYS = ("matched", "tier", "listed_since", "banker_id")


def _estimates(params: SearchParams) -> Estimates:
    """PostgreSQL's estimates for the search (`directory.estimates`)."""
    return search_estimates(params)


def _fetch_page(
    params: SearchParams, *, count: bool, estimates: Estimates | None, as_json: bool
) -> tuple[list[Any], int | None]:
    """Run the page's statement (`search_sql.page_sql`): its rows (LIST_FIELDS
    as dicts, or each item's JSON text with `as_json`), and the count the
    statement made (None when it made none, or found no row)."""
    sql, sql_params = page_sql(params, count=count, estimates=estimates, as_json=as_json)
    with connection.cursor() as cursor:
        cursor.execute(bound(sql, sql_params))
        fetched = cursor.fetchall()
        matched = fetched[0][-1] if fetched else None
        if as_json:
            return [row[0] for row in fetched], matched
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in fetched]
    for row in rows:
        for key in _EXTRA_KEYS:
            row.pop(key, None)
    return rows, matched


def _estimated_count(params: SearchParams, estimates: Estimates | None) -> int | None:
    """The estimate the count will be, or None when the search must count."""
    if estimates is None or estimates.matches < EXACT_COUNT_BELOW:
        return None
    if one_word(params) or estimates.matches > search_sql.SEARCH_CAP:
        # Of several words, only "more than SEARCH_CAP" is taken: the truth is larger still.
        return estimates.matches
    return None


def _two_figures(number: int) -> int:
    """An estimate as an estimate reads: 1,863 as 1,900, 384 as 380."""
    return round(number, 2 - len(str(number)))


def _matched(*, estimate: int | None, counted: int | None, has_next: bool, seen: int) -> int:
    """The count the page gives: the statement's, or from the estimate (`seen`:
    the rows up to this page's end and the next one's first, if read)."""
    if estimate is None:
        return counted or 0  # the statement counted (it found rows, so it made a count)
    if has_next:
        # Never fewer than the rows this page has seen, the next page's first included.
        return max(_two_figures(estimate), seen)
    return seen  # the last page: the count is exact


def _results(shown: list[Any], *, as_json: bool) -> tuple[list[dict[str, Any]], str | None]:
    """The shown results as BankerPage holds them: rows, or one JSON array."""
    return ([], "[" + ",".join(shown) + "]") if as_json else (shown, None)


def banker_search_page(
    *, params: SearchParams, use_estimates: bool = False, as_json: bool = False
) -> BankerPage:
    """One page of search results as plain rows (LIST_FIELDS) in a single query,
    whatever the page size; with `as_json`, as the API's JSON instead
    (`BankerPage.results_json`), built by PostgreSQL, so the API loads no row
    into Python and renders none (a 20-row page, read and rendered: Python
    0.78 ms as rows, 0.41 ms as JSON; PostgreSQL 0.45 and 0.56 ms). With `use_estimates`, one EXPLAIN
    first: the count may be PostgreSQL's estimate (module docstring) and
    relevance tiers are read the cheaper way. A page past the results is
    NotFound."""
    start, size = page_window(params)
    rows: list[Any] = []
    counted: int | None = None
    estimate: int | None = None
    if start < search_sql.SEARCH_CAP:
        estimates = _estimates(params) if use_estimates else None
        estimate = _estimated_count(params, estimates)
        rows, counted = _fetch_page(params, count=estimate is None, estimates=estimates, as_json=as_json)
    if not rows:
        if params.page > 1:
            raise NotFound("That page does not exist; there are fewer results.")
        return BankerPage(
            rows=[],
            results_json="[]" if as_json else None,
            count=0,
            count_capped=False,
            page=1,
            page_size=params.page_size,
            has_next=False,
        )
    has_next = len(rows) > size
    matched = _matched(estimate=estimate, counted=counted, has_next=has_next, seen=start + len(rows))
    shown, results_json = _results(rows[:size], as_json=as_json)
    return BankerPage(
        rows=shown,
        results_json=results_json,
        count=min(matched, search_sql.SEARCH_CAP),
        count_capped=matched > search_sql.SEARCH_CAP,
        page=params.page,
        page_size=params.page_size,
        has_next=has_next,
        count_is_estimate=estimate is not None and has_next,
    )


def banker_public_profile(*, banker_id: int) -> BankerProfile:
    """A listed banker's profile with the user loaded; NotFound for anyone else
    (pending, rejected, deactivated, or not a banker at all). Listed means in
    the directory's listing table."""
    listed = Listing.objects.filter(banker_id=OuterRef("user_id"))
    profile = BankerProfile.objects.select_related("user").filter(Exists(listed), user_id=banker_id).first()
    if profile is None:
        raise NotFound("No such banker in the directory.")
    return profile
