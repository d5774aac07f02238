"""Reads for the banker directory: search over listed bankers and one public profile.

Listed = verified with an active account (accounts.selectors.verified_bankers). Every
query here is bounded: counting and relevance ranking stop at SEARCH_CAP matches, so a
search costs about the same whether a term matches 50 bankers or 50,000
(docs/performance.md, "Directory search")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from accounts.models import SEARCH_CONFIG, BankerProfile
from accounts.selectors import verified_bankers
from b2bbank.domain_errors import NotFound

from .filters import Ordering, SearchParams

# Matches counted and ranked per search. Past it the answer says "more than 500"
# and the searcher narrows down; no one pages through hundreds of bankers.
SEARCH_CAP = 500

LIST_FIELDS = (
    "user_id",
    "display_name",
    "institution",
    "job_title",
    "city",
    "region",
    "products",
    "industries",
    "min_loan_amount",
    "max_loan_amount",
    "availability",
    "accepting_new_clients",
)

_ORDER_BY = {
    Ordering.NEWEST: ("-created_at", "-user_id"),
    Ordering.MIN_AMOUNT: ("min_loan_amount", "user_id"),
    Ordering.MIN_AMOUNT_DESC: ("-min_loan_amount", "-user_id"),
}


@dataclass(frozen=True)
class BankerPage:
    """One page of results. `count` is exact up to SEARCH_CAP; `count_capped`
    says more bankers matched than were counted."""

    rows: list[dict[str, Any]]
    count: int
    count_capped: bool
    page: int
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.count

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def _text_query(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


def banker_matches(*, params: SearchParams) -> QuerySet[BankerProfile]:
    """Listed bankers matching every filter in `params`, unordered."""
    bankers = verified_bankers()
    if params.q:
        bankers = bankers.filter(search_document=_text_query(params.q))
    if params.product:
        bankers = bankers.filter(products__contains=[params.product])
    if params.industry:
        bankers = bankers.filter(industries__contains=[params.industry])
    if params.amount is not None:
        bankers = bankers.filter(_lends(params.amount))
    if params.region:
        bankers = bankers.filter(region__iexact=params.region)
    if params.availability:
        bankers = bankers.filter(availability=params.availability)
    if params.accepting is not None:
        bankers = bankers.filter(accepting_new_clients=params.accepting)
    return bankers.order_by()


def _lends(amount: Decimal) -> Q:
    """The banker's minimum is at or below the amount and the maximum, when set, at or above it."""
    return Q(min_loan_amount__lte=amount) & (Q(max_loan_amount__isnull=True) | Q(max_loan_amount__gte=amount))


def _window(params: SearchParams) -> tuple[QuerySet[Any, Any], tuple[str, ...]]:
    """The first SEARCH_CAP + 1 matches with their sort keys, and the ORDER BY that
    pages them: in the requested order, or for relevance the first the text index
    returns, ranked. Ranking every match of a common word (20,000 for "equipment")
    cost more than the rest of a search, so relevance ranks this window only."""
    matches = banker_matches(params=params)
    ordering = params.effective_ordering
    if ordering == Ordering.RELEVANCE:
        ranked = matches.annotate(rank=SearchRank(F("search_document"), _text_query(params.q)))
        keys: tuple[str, ...] = ("-rank", "-created_at", "-user_id")
        return ranked.values("user_id", "rank", "created_at")[: SEARCH_CAP + 1], keys
    keys = _ORDER_BY[ordering]
    sort_fields = [key.lstrip("-") for key in keys if key.lstrip("-") != "user_id"]
    return matches.order_by(*keys).values("user_id", *sort_fields)[: SEARCH_CAP + 1], keys


def _column(name: str) -> str:
    column = getattr(BankerProfile._meta.get_field(name), "column", None)
    if not isinstance(column, str):
        raise TypeError(f"BankerProfile.{name} is not a concrete column")
    return connection.ops.quote_name(column)


def _page_sql(params: SearchParams) -> tuple[str, list[Any]]:
    """One statement for a page and its capped count. The window of matches is
    computed once (a MATERIALIZED CTE), counted, sorted and sliced; only the
    page's rows are then read in full. Before, the count and the page each ran
    the match, which was most of a search."""
    window, keys = _window(params)
    window_sql, window_params = window.query.sql_with_params()
    table = connection.ops.quote_name(BankerProfile._meta.db_table)
    order_by = ", ".join(f"{key.lstrip('-')}{' DESC' if key.startswith('-') else ''}" for key in keys)
    columns = ", ".join(f"b.{_column(name)} AS {name}" for name in LIST_FIELDS)
    start = (params.page - 1) * params.page_size
    size = min(params.page_size, SEARCH_CAP - start)
    # Every fragment is Django's own compilation, a model's column name or a fixed
    # sort key; user input travels in the parameters only.
    sql = (
        f"WITH hits AS MATERIALIZED ({window_sql}), "  # noqa: S608
        f"page AS (SELECT *, row_number() OVER (ORDER BY {order_by}) AS position "
        "FROM hits ORDER BY position LIMIT %s OFFSET %s) "
        f"SELECT {columns}, (SELECT count(*) FROM hits) AS matched "
        f"FROM page JOIN {table} b ON b.{_column('user_id')} = page.user_id "
        "ORDER BY page.position"
    )
    return sql, [*window_params, size, start]


def banker_search_page(*, params: SearchParams) -> BankerPage:
    """One page of search results as plain rows (LIST_FIELDS) in a single query,
    whatever the page size. A page past the results is NotFound."""
    rows: list[dict[str, Any]] = []
    count = 0
    if (params.page - 1) * params.page_size < SEARCH_CAP:
        sql, sql_params = _page_sql(params)
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    if not rows:
        if params.page > 1:
            raise NotFound("That page does not exist; there are fewer results.")
        return BankerPage(rows=[], count=0, count_capped=False, page=1, page_size=params.page_size)
    count = rows[0]["matched"]
    for row in rows:
        del row["matched"]
    return BankerPage(
        rows=rows,
        count=min(count, SEARCH_CAP),
        count_capped=count > SEARCH_CAP,
        page=params.page,
        page_size=params.page_size,
    )


def banker_public_profile(*, banker_id: int) -> BankerProfile:
    """A listed banker's profile with the user loaded; NotFound for anyone else
    (pending, rejected, deactivated, or not a banker at all)."""
    profile = verified_bankers().select_related("user").filter(user_id=banker_id).first()
    if profile is None:
        raise NotFound("No such banker in the directory.")
    return profile
