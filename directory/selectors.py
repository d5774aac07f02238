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
from django.db.models import F, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

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


def banker_search(*, params: SearchParams) -> QuerySet[BankerProfile]:
    """Matching listed bankers in the requested order.

    Relevance ranks at most SEARCH_CAP matches (the first the text index returns):
    ts_rank reads every ranked document, and ranking all 20,000 matches of a common
    word cost more than the whole rest of a search."""
    matches = banker_matches(params=params)
    ordering = params.effective_ordering
    if ordering == Ordering.RELEVANCE:
        window = matches.values("user_id")[:SEARCH_CAP]
        return (
            BankerProfile.objects.filter(user_id__in=window)
            .annotate(rank=SearchRank(F("search_document"), _text_query(params.q)))
            .order_by("-rank", "-created_at", "-user_id")
        )
    return matches.order_by(*_ORDER_BY[ordering])


def banker_search_page(*, params: SearchParams) -> BankerPage:
    """One page of search results as plain rows (LIST_FIELDS) in a single query,
    whatever the page size: the capped count rides along as a scalar subquery that
    PostgreSQL evaluates once. A page past the results is NotFound."""
    start = (params.page - 1) * params.page_size
    end = min(start + params.page_size, SEARCH_CAP)
    rows: list[dict[str, Any]] = []
    if start < SEARCH_CAP:
        matched = _capped_count(params)
        rows = list(banker_search(params=params).values(*LIST_FIELDS, matched=matched)[start:end])
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


def _capped_count(params: SearchParams) -> RawSQL:
    """`count(*)` of the matches, stopping at SEARCH_CAP + 1 (so "more than the cap"
    is visible). One round trip less per search than a separate COUNT query, which
    on a busy machine is most of a search's time."""
    capped = banker_matches(params=params).values("user_id")[: SEARCH_CAP + 1]
    sql, sql_params = capped.query.sql_with_params()
    # The SQL is Django's own compilation of the queryset; user input stays in sql_params.
    count_sql = f"SELECT count(*) FROM ({sql}) AS capped"  # noqa: S608
    return RawSQL(count_sql, sql_params, output_field=IntegerField())  # noqa: S611


def banker_public_profile(*, banker_id: int) -> BankerProfile:
    """A listed banker's profile with the user loaded; NotFound for anyone else
    (pending, rejected, deactivated, or not a banker at all)."""
    profile = verified_bankers().select_related("user").filter(user_id=banker_id).first()
    if profile is None:
        raise NotFound("No such banker in the directory.")
    return profile
