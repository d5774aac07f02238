"""Reads for the banker directory: search over the listing table and one public profile.

Search reads only `directory.models.Listing` (one narrow row per listed banker,
kept in step by triggers), in one statement per page with its capped count.

Relevance ("Best match"), when there is search text and no other ordering:

1. the tier: 3 when every word of the query is in the banker's name or
   institution, 2 when they are all in those plus the job title, city and
   region, 1 when the bio is needed too (the field weights of the old weighted
   vector, A > B > C, as whole tiers);
2. then the newest listing first, then the highest banker id (the tie-break).

Each tier has its own expression index, and within a tier the order is the
`listing_newest` index's, so the first `n` of a tier are a bounded read (an
index walk or a small bitmap, as the planner finds cheaper). Page 1 ends at `n`
= page size: the top `n` of all matches are among the top `n` of each tier, so
the page is the top of every match, exactly, however many match (the test
compares it with a brute-force ranking). Counting stops at SEARCH_CAP + 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef

from accounts.models import BankerProfile
from b2bbank.domain_errors import NotFound

from .filters import Ordering, SearchParams
from .models import SEARCH_CONFIG, TEXT_ALL, TEXT_NAME, TEXT_TITLE, Listing

# Matches counted per search. Past it the answer says "more than 500" and the
# searcher narrows down; no one pages through hundreds of bankers.
SEARCH_CAP = 500

# What a result row holds; `user_id` is the banker's id (the listing's key).
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
_COLUMNS = ", ".join("banker_id AS user_id" if name == "user_id" else name for name in LIST_FIELDS)
_TABLE = Listing._meta.db_table
_QUERY = f"websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, %s)"

_ORDER_BY = {
    Ordering.NEWEST: "listed_since DESC, banker_id DESC",
    Ordering.MIN_AMOUNT: "min_loan_amount, banker_id",
    Ordering.MIN_AMOUNT_DESC: "min_loan_amount DESC, banker_id DESC",
}
# Relevance tiers, best first: (tier, the fields that must hold every word, the
# next narrower group, whose matches belong to a better tier).
_TIERS: tuple[tuple[int, tuple[str, ...], tuple[str, ...] | None], ...] = (
    (3, TEXT_NAME, None),
    (2, TEXT_TITLE, TEXT_NAME),
    (1, TEXT_ALL, TEXT_TITLE),
)


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


def _vector(fields: tuple[str, ...]) -> str:
    """The SQL of a field group's vector, as its expression index has it."""
    return fields[0] if len(fields) == 1 else "(" + " || ".join(fields) + ")"


def _text_match(fields: tuple[str, ...]) -> str:
    return f"{_vector(fields)} @@ {_QUERY}"


# Each filter: its clause, and how many times it takes the parameter's value.
_FILTERS: tuple[tuple[str, str, int], ...] = (
    ("product", "products @> ARRAY[%s]::varchar[]", 1),
    ("industry", "industries @> ARRAY[%s]::varchar[]", 1),
    ("amount", "min_loan_amount <= %s AND (max_loan_amount IS NULL OR max_loan_amount >= %s)", 2),
    ("region", "region_key = upper(%s)", 1),
    ("availability", "availability = %s", 1),
    ("accepting", "accepting_new_clients = %s", 1),
)


def _filters(params: SearchParams) -> tuple[list[str], list[Any]]:
    """The WHERE clauses of every filter but the text, and their parameters."""
    clauses: list[str] = []
    args: list[Any] = []
    for name, clause, uses in _FILTERS:
        value = getattr(params, name)
        if value is None or value == "":
            continue
        clauses.append(clause)
        args += [value] * uses
    return clauses, args


def _matches(params: SearchParams) -> tuple[list[str], list[Any]]:
    """Every clause a match must meet, text included, and their parameters."""
    clauses, args = _filters(params)
    if params.q:
        return [_text_match(TEXT_ALL), *clauses], [params.q, *args]
    return clauses, args


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _count_sql(params: SearchParams) -> tuple[str, list[Any]]:
    """Matches, counted up to SEARCH_CAP + 1 (any order: it stops early)."""
    clauses, args = _matches(params)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {_TABLE} {_where(clauses)} LIMIT {SEARCH_CAP + 1}) AS c"  # noqa: S608
    return sql, args


def _ranked_sql(params: SearchParams, end: int) -> tuple[str, list[Any]]:
    """The first `end` matches of each relevance tier, with the tier and the tie-break key."""
    clauses, args = _filters(params)
    branches: list[str] = []
    branch_args: list[Any] = []
    for tier, fields, narrower in _TIERS:
        text = [_text_match(fields)]
        text_args = [params.q]
        if narrower is not None:
            text.append(f"NOT {_text_match(narrower)}")
            text_args.append(params.q)
        branches.append(
            f"(SELECT {_COLUMNS}, listed_since, banker_id, {tier} AS tier FROM {_TABLE} "  # noqa: S608
            f"{_where(text + clauses)} ORDER BY listed_since DESC, banker_id DESC LIMIT %s)"
        )
        branch_args += [*text_args, *args, end]
    return " UNION ALL ".join(branches), branch_args


def _page_sql(params: SearchParams) -> tuple[str, list[Any]]:
    """One statement for a page and its capped count. Every fragment is fixed
    text or a column name; user input travels in the parameters only."""
    start = (params.page - 1) * params.page_size
    size = min(params.page_size, SEARCH_CAP - start)
    count_sql, count_args = _count_sql(params)
    if params.effective_ordering == Ordering.RELEVANCE:
        ranked_sql, ranked_args = _ranked_sql(params, start + size)
        sql = (
            f"SELECT ranked.*, ({count_sql}) AS matched FROM ({ranked_sql}) AS ranked "  # noqa: S608
            "ORDER BY tier DESC, listed_since DESC, banker_id DESC LIMIT %s OFFSET %s"
        )
        return sql, [*count_args, *ranked_args, size, start]
    clauses, args = _matches(params)
    sql = (
        f"SELECT {_COLUMNS}, ({count_sql}) AS matched FROM {_TABLE} {_where(clauses)} "  # noqa: S608
        f"ORDER BY {_ORDER_BY[params.effective_ordering]} LIMIT %s OFFSET %s"
    )
    return sql, [*count_args, *args, size, start]


_EXTRA_KEYS = ("matched", "tier", "listed_since", "banker_id")


def _fetch_page(params: SearchParams) -> list[dict[str, Any]]:
    sql, sql_params = _page_sql(params)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def banker_search_page(*, params: SearchParams) -> BankerPage:
    """One page of search results as plain rows (LIST_FIELDS) in a single query,
    whatever the page size. A page past the results is NotFound."""
    rows: list[dict[str, Any]] = []
    if (params.page - 1) * params.page_size < SEARCH_CAP:
        rows = _fetch_page(params)
    if not rows:
        if params.page > 1:
            raise NotFound("That page does not exist; there are fewer results.")
        return BankerPage(rows=[], count=0, count_capped=False, page=1, page_size=params.page_size)
    count = rows[0]["matched"]
    for row in rows:
        for key in _EXTRA_KEYS:
            row.pop(key, None)
    return BankerPage(
        rows=rows,
        count=min(count, SEARCH_CAP),
        count_capped=count > SEARCH_CAP,
        page=params.page,
        page_size=params.page_size,
    )


def banker_public_profile(*, banker_id: int) -> BankerProfile:
    """A listed banker's profile with the user loaded; NotFound for anyone else
    (pending, rejected, deactivated, or not a banker at all). Listed means in
    the directory's listing table."""
    listed = Listing.objects.filter(banker_id=OuterRef("user_id"))
    profile = (
        BankerProfile.objects.select_related("user").filter(Exists(listed), user_id=banker_id).first()
    )
    if profile is None:
        raise NotFound("No such banker in the directory.")
    return profile
