"""The SQL of a directory search over the listing table, built from fixed
text and column names; user input travels in the parameters only.
`directory.selectors` runs it.

Relevance ("Best match"), when there is search text and no other ordering:

1. the tier: 3 when every word of the query is in the banker's name or
   institution, 2 when they are all in those plus the job title, city and
   region, 1 when the bio is needed too (the old weighted vector's A > B > C,
   as whole tiers, precomputed as one vector per field group);
2. then the newest listing first, then the highest banker id (the tie-break).

Each tier's field group has its own GIN index (with the filter tags), and
within a tier the order is the `listing_newest` index's, so the first `n` of a
tier are a bounded read: a walk down that index or a small bitmap, whichever
PostgreSQL's estimates say is cheaper (`tier_walks`). The first `n` of every
match are among the first `n` of each tier (`_ranked_sql` says why), so page 1
is the true top of all matches, however many match; a test compares it with a
brute-force ranking. Counting stops at SEARCH_CAP + 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

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

# A result as the API's list item, declared once: each key with the row field
# (LIST_FIELDS) it shows. `directory.api.serializers.banker_list_item` builds
# it from a row, and `_ITEM_JSON` has PostgreSQL write it; money is its text
# ("250000.00") in both.
ITEM_KEYS = (
    ("id", "user_id"),
    ("name", "display_name"),
    ("institution", "institution"),
    ("job_title", "job_title"),
    ("city", "city"),
    ("region", "region"),
    ("products", "products"),
    ("industries", "industries"),
    ("min_loan_amount", "min_loan_amount"),
    ("max_loan_amount", "max_loan_amount"),
    ("availability", "availability"),
    ("accepting_new_clients", "accepting_new_clients"),
)
MONEY_FIELDS = frozenset({"min_loan_amount", "max_loan_amount"})


def _item_column(field: str) -> str:
    """A row field as the SQL of its item value."""
    if field == "user_id":
        return "banker_id"
    return f"{field}::text" if field in MONEY_FIELDS else field


# The item as compact JSON text, written by PostgreSQL so that Python neither
# loads the row's values nor renders them. `row_to_json` writes keys in order,
# with no space after `:` or `,` (json_build_object adds them), strings
# escaped as Python's json escapes them (the two-character escapes, \u00XX
# for other control characters, everything else as is), arrays as `[...]`,
# NULL as `null`. One call per row: measured on the bench's data, a 20-row
# page cost PostgreSQL 0.1 ms more than sending the columns (to_json per value
# 0.25 ms) and Python 0.37 ms less. A test compares it with DRF's rendering
# over hostile strings.
_ITEM_JSON = (
    "(SELECT row_to_json(item) FROM (SELECT "  # noqa: S608 - fixed column names and keys
    + ", ".join(f'{_item_column(field)} AS "{key}"' for key, field in ITEM_KEYS)
    + ") AS item)::text AS item"
)
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


@dataclass(frozen=True)
class Estimates:
    """PostgreSQL's row estimates for a search: every match; with text, the
    matches of the two best tiers' field groups (the third's is every match)
    and the listed bankers; and for the two best tiers, what the planner
    estimates for a word its statistics do not hold (`_UNTRACKED`).

    With an amount, `reads` holds each tier's matches before it: what the
    tier's text index reads (the amount is a table column, not in the index);
    `with_amount_share` makes them."""

    matches: int
    tiers: dict[int, int]
    listed: int
    untracked: dict[int, int] = field(default_factory=dict)
    reads: dict[int, int] = field(default_factory=dict)

    def index_reads(self, tier: int) -> int:
        """How many rows the tier's text index reads: its matches under the
        text and the tags, before the amount."""
        return self.reads.get(tier, self.tiers[tier])

    def with_amount_share(self, share: float) -> Estimates:
        """These estimates of a search's text and tags, for the search with an
        amount that `share` of the listed bankers hold. The planner takes the
        amount as independent of the rest and multiplies (as here), so this is
        its own estimate of the whole search, up to rounding."""

        def scaled(rows: int) -> int:
            return max(1, round(rows * share))

        return Estimates(
            matches=scaled(self.matches),
            tiers={tier: scaled(rows) for tier, rows in self.tiers.items()},
            listed=self.listed,
            untracked={tier: scaled(rows) for tier, rows in self.untracked.items()},
            reads=dict(self.tiers),
        )


# A lexeme no text can hold (the parser never makes one with spaces): the
# planner gives it the estimate of any word missing from the column's
# statistics, which hold the most frequent words (`tier_walks`).
_UNTRACKED = "'''no such word'''::tsquery"


def estimates_sql(params: SearchParams) -> tuple[str, list[Any], int]:
    """The EXPLAIN whose plan holds PostgreSQL's estimates (`Estimates`) of the
    search's text and tags, leaving out its amount (AMOUNT_SHARE_SQL), its
    parameters, and how many estimates it holds: every match's, and with text,
    each tier's match, the whole table, and the two best tiers' matches of an
    untracked word, as one UNION ALL whose plan lists them in order. No row
    is read."""
    params = replace(params, amount=None)
    clauses, args = _matches(params)
    parts = [(f"SELECT 1 FROM {_TABLE} {_where(clauses)}", args)]  # noqa: S608
    if params.effective_ordering == Ordering.RELEVANCE:  # with text, ranked by tier
        filters, filter_args = _filters(params)
        for _, fields in _TIERS[:2]:
            tier_sql = f"SELECT 1 FROM {_TABLE} {_where([_text_match(fields), *filters])}"  # noqa: S608
            parts.append((tier_sql, [params.q, *filter_args]))
        parts.append((f"SELECT 1 FROM {_TABLE}", []))  # noqa: S608
        for _, fields in _TIERS[:2]:
            untracked = f"{_vector(fields)} @@ {_UNTRACKED}"
            parts.append((f"SELECT 1 FROM {_TABLE} {_where([untracked, *filters])}", filter_args))  # noqa: S608
    sql = "EXPLAIN (FORMAT JSON) " + " UNION ALL ".join(part for part, _ in parts)
    return sql, [arg for _, part_args in parts for arg in part_args], len(parts)


def estimates_from_plan(plan: dict[str, Any], parts: int) -> Estimates:
    """`Estimates` from the plan of `estimates_sql`."""
    rows = _plan_rows(plan, parts)
    if parts == 1:
        return Estimates(matches=rows[0], tiers={}, listed=0)
    return Estimates(
        matches=rows[0],
        tiers={3: rows[1], 2: rows[2], 1: rows[0]},
        listed=rows[3],
        untracked={3: rows[4], 2: rows[5]},
    )


# The listed bankers who hold an amount, and all of them.
AMOUNT_SHARE_SQL = (
    f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {_TABLE} WHERE {_AMOUNT} UNION ALL SELECT 1 FROM {_TABLE}"  # noqa: S608
)


def amount_share_from_plan(plan: dict[str, Any]) -> float:
    """The share of listed bankers who hold the amount, from the plan of
    AMOUNT_SHARE_SQL."""
    holders, listed = _plan_rows(plan, 2)
    return min(1.0, holders / max(listed, 1))


def _plan_rows(plan: dict[str, Any], parts: int) -> list[int]:
    """The row estimates of a UNION ALL's branches, in order (or of its one part)."""
    rows = [plan["Plan Rows"]] if parts == 1 else [child["Plan Rows"] for child in plan.get("Plans", [])]
    if len(rows) != parts:  # an Append lists its branches in order; anything else is a surprise
        raise RuntimeError(f"unexpected plan for the directory's estimates: {plan}")
    return rows


# A relevance tier's two ways, in the cost of reading one `listing_newest`
# entry: the walk reads `end * listed / matches` entries (a table row for each
# too in the bio's tier: its vector is not in the index); the text index reads
# every row its text and tags match, a table row each, and checks the amount
# there (`Estimates.index_reads`). Measured on the bench's 100,000 bankers
# (docs/performance.md): an entry 0.3 µs, a table row 1.5 to 3 µs.
_ENTRY_COST = {3: 1, 2: 1, 1: 6}
_INDEX_MATCH_COST = 8
# For more than one word, each tier's estimate is taken as this many times
# the planner's: the most it fell short on the bench's searches ("Pacific
# Trust" 228 of 4,505, "dental practices" 634 of 7,527). Too high an estimate
# only makes a walk likelier, and a walk that finds too few falls back.
SEVERAL_WORDS_UNDERESTIMATE = 20


def one_word(params: SearchParams) -> bool:
    """The planner takes a query's words as independent; names and phrases are
    not, so for more than one word it estimates too few (module docstring)."""
    return len(params.q.split()) <= 1


def tier_walks(estimates: Estimates, end: int, *, one_word: bool = True) -> dict[int, int | None]:
    """For each tier, how far to walk, or None to ask its text index first.
    Only the cost depends on this choice; the tiers hold the same bankers
    either way (a walk that finds too few still falls back to the index).

    A walk stops as soon as it has found `end`, so its length is only where
    it gives up: once it has cost what the text index would by the planner's
    estimate (`_walk_budget`), and never before `_WALK`. A skier who rents
    until the rent paid equals the price of skis, then buys, pays at most
    twice the price; so a walk that gives up there, with its fallback, costs
    at most twice the fallback, however wrong the estimate of the matches.
    A tier walks when the walk the estimates expect fits in that budget.

    For more than one word the expected walk takes the matches as
    SEVERAL_WORDS_UNDERESTIMATE times the planner's (its worst shortfall);
    the budget takes the planner's own figure, so the bound holds.

    A word the statistics do not hold for a tier's fields (its estimate is
    no more than an untracked word's) is rarer there than every word they
    hold, so the text index reads it first: its few matches, often none.
    (The planner's stand-in figure for such a word, half the rarest tracked
    word's frequency, is 447 names at 100,000 bankers and 4,452 at 1,000,000
    on the bench's data, where such a word is in no name.)"""
    walks: dict[int, int | None] = {}
    scale = 1 if one_word else SEVERAL_WORDS_UNDERESTIMATE
    for tier, estimate in estimates.tiers.items():
        if one_word and estimate <= estimates.untracked.get(tier, -1):
            walks[tier] = None
            continue
        expected = end * estimates.listed / max(estimate * scale, 1)
        budget = _walk_budget(estimates, tier)
        walks[tier] = max(_WALK[tier], budget) if expected < budget else None
    return walks


def _walk_budget(estimates: Estimates, tier: int) -> int:
    """How many entries a tier's walk reads for what its fallback, the text
    index, costs by the planner's estimate (`tier_walks`), capped at
    `_WALK_BUDGET_SHARE` of the listed bankers."""
    budget = estimates.index_reads(tier) * _INDEX_MATCH_COST // _ENTRY_COST[tier]
    return min(budget, int(estimates.listed * _WALK_BUDGET_SHARE))


# No walk's budget passes this share of the table. With a LIMIT near the table's
# size, PostgreSQL sorts the whole table instead of walking the index: on the
# bench's 100,000 bankers it still walked at a third of the table and sorted at
# two thirds (EXPLAIN of the bio tier's walk); this stays far below, and bounds
# what a walk that finds too few can cost.
_WALK_BUDGET_SHARE = 0.05


# How far down the newest index a tier's walk goes before it gives up and asks
# its text index instead. Index-only for the two best tiers (their vectors are
# in listing_newest), a table read per entry for the bio's tier.
_WALK = {3: 2000, 2: 2000, 1: 1000}


def _tier_ctes(
    tier: int, fields: tuple[str, ...], match: tuple[list[str], list[Any]], end: int, walk: int | None
) -> tuple[str, list[Any]]:
    """`tierN_walk` and `tierN`: the `end` newest bankers whose tier's fields hold
    every word and who pass the filters (`match`: the clauses after the text
    test, with the text's and their parameters).

    The walk reads the newest `walk` entries only: a bounded read, however
    rare the words. When it finds fewer than `end`, the matches are sparse,
    and the text index lists them all for a small sort instead (a row value in
    ORDER BY, so the planner cannot pick the unbounded walk there). PostgreSQL
    runs that second read only when needed (a one-time filter). With `walk`
    None, the text index answers at once (`tier_walks` chose it): `tierN`
    only. Either way the tier holds the same bankers."""
    clauses, args = match
    text = _text_match(fields)
    where = " AND ".join([text, *clauses])
    from_index = (
        f"SELECT banker_id, listed_since, {tier} AS tier FROM {_TABLE} "  # noqa: S608
        f"WHERE {where} ORDER BY {_NEWEST_FROM_MATCHES} LIMIT %s"
    )
    if walk is None:
        return f"tier{tier} AS MATERIALIZED ({from_index})", [*args, end]
    needed = ", ".join(dict.fromkeys(["banker_id", "listed_since", "tags", "lends", *fields]))
    walk_sql = (
        f"tier{tier}_walk AS MATERIALIZED (SELECT banker_id, listed_since FROM "  # noqa: S608
        f"(SELECT {needed} FROM {_TABLE} ORDER BY {_NEWEST} LIMIT %s) AS recent WHERE {where} LIMIT %s)"
    )
    complete = f"(SELECT count(*) FROM tier{tier}_walk) >= %s"  # noqa: S608
    found = (
        f"tier{tier} AS MATERIALIZED (SELECT banker_id, listed_since, {tier} AS tier FROM tier{tier}_walk "  # noqa: S608
        f"WHERE {complete} UNION ALL (SELECT banker_id, listed_since, {tier} FROM {_TABLE} "
        f"WHERE {where} AND NOT {complete} ORDER BY {_NEWEST_FROM_MATCHES} LIMIT %s))"
    )
    return f"{walk_sql}, {found}", [walk, *args, end, end, *args, end, end]


def _ranked_sql(
    params: SearchParams, end: int, walks: dict[int, int | None] | None = None
) -> tuple[str, str, list[Any]]:
    """The WITH list of each tier's candidates for the first `end` results by
    relevance, the SELECT of them (each banker once, at the best tier found for
    them), and the parameters. Tier N's candidates are the `end` newest bankers
    whose tier N fields hold every word (so better tiers' bankers too).

    Why this holds the true first `end`: a banker among them at tier t has fewer
    than `end` bankers ranked above them, and every banker of t's field group
    newer than them ranks above them, so they are among that group's `end`
    newest, and found at tier t. A banker found only at a lower tier than their
    own ranks below all of the true first `end` (all of whom are found at their
    own tier), so it cannot push one out.

    A tier is read only while the better ones found fewer than `end`: once a
    field group has `end` matches, the first `end` results all come from it.
    Like the fallback in `_tier_ctes`, the test is a one-time filter.

    `walks`: how far each tier walks, or None for its text index first
    (`tier_walks`); without it, every tier walks its `_WALK`."""
    clauses, args = _filters(params)
    ctes: list[str] = []
    cte_args: list[Any] = []
    gates: list[str] = []
    for tier, fields in _TIERS:
        sql, tier_args = _tier_ctes(
            tier,
            fields,
            ([*clauses, *gates], [params.q, *args, *([end] * len(gates))]),
            end,
            _WALK[tier] if walks is None else walks[tier],
        )
        ctes.append(sql)
        cte_args += tier_args
        gates.append(f"(SELECT count(*) FROM tier{tier}) < %s")  # noqa: S608
    found = " UNION ALL ".join(f"SELECT * FROM tier{tier}" for tier, _ in _TIERS)  # noqa: S608
    ranked = f"SELECT DISTINCT ON (banker_id) * FROM ({found}) AS found ORDER BY banker_id, tier DESC"  # noqa: S608
    return ", ".join(ctes), ranked, cte_args


def page_window(params: SearchParams) -> tuple[int, int]:
    """The page's first position and how many rows it shows (none past SEARCH_CAP)."""
    start = (params.page - 1) * params.page_size
    return start, max(0, min(params.page_size, SEARCH_CAP - start))


def _rows_to_read(params: SearchParams) -> tuple[int, int]:
    """The page's first position and how many rows to read: the page's, and
    one more (which says whether there is a next page) unless the page ends
    at SEARCH_CAP."""
    start, size = page_window(params)
    return start, size + 1 if start + size < SEARCH_CAP else size


def page_sql(
    params: SearchParams, *, count: bool = True, estimates: Estimates | None = None, as_json: bool = False
) -> tuple[str, list[Any]]:
    """One statement for a page, with its capped count unless `count` is False;
    with `estimates`, relevance tiers read the cheaper way (`tier_walks`).
    Each row holds LIST_FIELDS, or with `as_json` the API's item as JSON text
    (`item`); the count (`matched`) is the last column either way.
    Every fragment is fixed text or a column name; user input travels in the
    parameters only."""
    start, size = _rows_to_read(params)
    columns = _ITEM_JSON if as_json else _COLUMNS
    count_sql, count_args = _count_sql(params) if count else ("SELECT NULL::bigint", [])
    if params.effective_ordering == Ordering.RELEVANCE:
        walks = tier_walks(estimates, start + size, one_word=one_word(params)) if estimates else None
        tiers, ranked, ranked_args = _ranked_sql(params, start + size, walks)
        # Ids and sort keys first, rows for the page only: the two best tiers'
        # walks then read nothing but the index (listing_newest covers them).
        order = "page.tier DESC, page.listed_since DESC, banker_id DESC"
        sql = (
            f"WITH {tiers} SELECT {columns}, page.tier, ({count_sql}) AS matched FROM "  # noqa: S608
            f"(SELECT * FROM ({ranked}) AS ranked ORDER BY tier DESC, listed_since DESC, banker_id DESC "
            f"LIMIT %s OFFSET %s) AS page JOIN {_TABLE} USING (banker_id) ORDER BY {order}"
        )
        return sql, [*ranked_args, *count_args, size, start]
    clauses, args = _matches(params)
    ordering = params.effective_ordering
    if params.amount is not None and ordering in (Ordering.MIN_AMOUNT, Ordering.MIN_AMOUNT_DESC):
        # Implied by the amount filter; said again so the walk down the minimum's
        # index starts at the amount instead of passing every higher minimum.
        clauses.append("min_loan_amount <= %s")
        args.append(params.amount)
    order = _ORDER_BY[ordering]
    # The page's ids first, then their rows: without text, the ids come from an
    # index-only walk of a covering index (filters read from the index), and
    # only the page's rows are read in full.
    sql = (
        f"SELECT {columns}, ({count_sql}) AS matched FROM "  # noqa: S608
        f"(SELECT banker_id FROM {_TABLE} {_where(clauses)} ORDER BY {order} LIMIT %s OFFSET %s) AS page "
        f"JOIN {_TABLE} USING (banker_id) ORDER BY {order}"
    )
    return sql, [*count_args, *args, size, start]
