"""Reads for the banker directory: search over the listing table and one public profile.

Search reads only `directory.models.Listing` (one narrow row per listed banker,
kept in step by triggers), in one statement per page with its capped count.

Relevance ("Best match"), when there is search text and no other ordering:

1. the tier: 3 when every word of the query is in the banker's name or
   institution, 2 when they are all in those plus the job title, city and
   region, 1 when the bio is needed too (the old weighted vector's A > B > C,
   as whole tiers, precomputed as one vector per field group);
2. then the newest listing first, then the highest banker id (the tie-break).

Each tier's field group has its own GIN index (with the filter tags), and
within a tier the order is the `listing_newest` index's, so the first `n` of a
tier are a bounded read: a walk down that index or a small bitmap, as the
planner finds cheaper. The first `n` of every match are among the first `n` of
each tier (`_ranked_sql` says why), so page 1 is the true top of all matches,
however many match; a test compares it with a brute-force ranking. Counting
stops at SEARCH_CAP + 1.
"""

from __future__ import annotations

from collections.abc import Callable
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

_NEWEST = "listed_since DESC, banker_id DESC"
_NEWEST_FROM_MATCHES = "(listed_since, banker_id) DESC"
_ORDER_BY = {
    Ordering.NEWEST: _NEWEST,
    Ordering.MIN_AMOUNT: "min_loan_amount, banker_id",
    Ordering.MIN_AMOUNT_DESC: "min_loan_amount DESC, banker_id DESC",
}
# Relevance tiers, best first: each tier, and the fields that must hold every word.
_TIERS: tuple[tuple[int, tuple[str, ...]], ...] = ((3, TEXT_NAME), (2, TEXT_TITLE), (1, TEXT_ALL))


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


# Equality filters, as the tag each one requires (models.Listing.tags): the SQL
# of the array element, and the parameter's value as the element takes it.
_TAGS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("product", "%s", lambda value: f"p:{value}"),
    ("industry", "%s", lambda value: f"i:{value}"),
    # PostgreSQL's upper(), as the trigger wrote the tag: Python's differs on some letters.
    ("region", "'r:' || upper(%s)", lambda value: value),
    ("availability", "%s", lambda value: f"a:{value}"),
    ("accepting", "%s", lambda value: f"c:{'true' if value else 'false'}"),
)
_AMOUNT = "lends @> %s::numeric"


def _filters(params: SearchParams) -> tuple[list[str], list[Any]]:
    """The WHERE clauses of every filter but the text, and their parameters:
    one containment test for all the equality filters, and the amount."""
    elements: list[str] = []
    args: list[Any] = []
    for name, element, value_of in _TAGS:
        value = getattr(params, name)
        if value is None or value == "":
            continue
        elements.append(element)
        args.append(value_of(value))
    clauses = [f"tags @> ARRAY[{', '.join(elements)}]::varchar[]"] if elements else []
    if params.amount is not None:
        clauses.append(_AMOUNT)
        args.append(params.amount)
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
    """Candidates for the first `end` results by relevance: for each tier, the
    `end` newest bankers whose tier's fields hold every word (so the better
    tiers' bankers too), each banker once, at the best tier found for them.

    Why this holds the true first `end`: a banker among them at tier t has fewer
    than `end` bankers ranked above them, and every banker of t's field group
    newer than them ranks above them, so they are among that group's `end`
    newest, and found at tier t. A banker found only at a lower tier than their
    own ranks below all of the true first `end` (all of whom are found at their
    own tier), so it cannot push one out. Without the tiers' exclusions each
    branch's row estimate is the index's, and the planner picks the right plan."""
    clauses, args = _filters(params)
    branches: list[str] = []
    branch_args: list[Any] = []
    several_words = len(params.q.split()) > 1
    for tier, fields in _TIERS:
        order = _NEWEST
        if several_words and fields != TEXT_ALL:
            # The planner estimates several words' matches as if the words were
            # independent; in a short field group they rarely are ("sba" is in
            # titles, "loans" never), and on an overestimate it walked the whole
            # newest index for a tier with no match (0.3 s). The same order as
            # one row value cannot come from that index: the text index it is.
            order = _NEWEST_FROM_MATCHES
        branches.append(
            f"(SELECT {_COLUMNS}, listed_since, banker_id, {tier} AS tier FROM {_TABLE} "  # noqa: S608
            f"{_where([_text_match(fields), *clauses])} ORDER BY {order} LIMIT %s)"
        )
        branch_args += [params.q, *args, end]
    found = " UNION ALL ".join(branches)
    sql = f"SELECT DISTINCT ON (banker_id) * FROM ({found}) AS found ORDER BY banker_id, tier DESC"  # noqa: S608
    return sql, branch_args


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
    profile = BankerProfile.objects.select_related("user").filter(Exists(listed), user_id=banker_id).first()
    if profile is None:
        raise NotFound("No such banker in the directory.")
    return profile
