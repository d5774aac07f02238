"""Counts from PostgreSQL's estimates (the API): counted below
EXACT_COUNT_BELOW, the estimate in two figures above it and flagged, never
below what the page proves, exact on the last page; the page links are exact
either way. The page view counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.tests.factories import BankerFactory, OwnerFactory
from conftest import client_for
from directory import search_sql, selectors
from directory.filters import SearchParams
from directory.selectors import Estimates, banker_search_page

pytestmark = pytest.mark.django_db

URL = reverse("api:banker-list")


@pytest.fixture(autouse=True)
def exact_counts() -> None:
    """Here the estimates decide, as in production (directory/tests/conftest.py
    makes every other directory test count)."""


@pytest.fixture(autouse=True)
def no_cache(settings: Any) -> None:
    """Each search here runs (the same search twice under two estimates)."""
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 0


@pytest.fixture
def client() -> Any:
    return client_for(OwnerFactory())


@pytest.fixture
def ten() -> list[Any]:
    return [BankerFactory(profile__bio="Orchard loans.") for _ in range(10)]


def planner_says(monkeypatch: pytest.MonkeyPatch, matches: int) -> None:
    """PostgreSQL's estimate of every match, as if the planner said it."""
    original = selectors._estimates

    def estimates(params: SearchParams) -> Estimates:
        real = original(params)
        return Estimates(
            matches=matches, tiers={**real.tiers, 1: matches} if real.tiers else {}, listed=real.listed
        )

    monkeypatch.setattr(selectors, "_estimates", estimates)


def search(client: Any, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("params", [{}, {"q": "orchard"}])
def test_an_estimate_of_many_is_given_in_two_figures_and_flagged(
    client: Any, ten: list[Any], monkeypatch: pytest.MonkeyPatch, params: dict[str, str]
) -> None:
    planner_says(monkeypatch, 384)
    body = search(client, page_size=3, **params)
    assert (body["count"], body["count_capped"], body["count_is_estimate"]) == (380, False, True)
    assert len(body["results"]) == 3
    assert "page=2" in body["next"]


def test_an_estimate_past_the_cap_says_capped(
    client: Any, ten: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    planner_says(monkeypatch, 1863)
    body = search(client, page_size=3)
    assert (body["count"], body["count_capped"], body["count_is_estimate"]) == (500, True, True)


def test_a_small_estimate_is_counted(client: Any, ten: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    planner_says(monkeypatch, selectors.EXACT_COUNT_BELOW - 1)
    body = search(client, page_size=3)
    assert (body["count"], body["count_capped"], body["count_is_estimate"]) == (10, False, False)


def test_an_estimate_is_never_below_what_the_page_proves(
    client: Any, ten: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "EXACT_COUNT_BELOW", 1)
    planner_says(monkeypatch, 2)
    body = search(client, page_size=3, page=2)
    # Pages 1 and 2 and the first of page 3: at least 7.
    assert (body["count"], body["count_is_estimate"]) == (7, True)
    assert "page=3" in body["next"]


def test_the_last_page_counts_exactly_whatever_the_estimate(
    client: Any, ten: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    planner_says(monkeypatch, 5000)
    last = search(client, page_size=3, page=4)
    assert (last["count"], last["count_capped"], last["count_is_estimate"]) == (10, False, False)
    assert last["next"] is None
    assert "page=3" in last["previous"]
    assert client.get(URL, {"page_size": 3, "page": 5}).status_code == 404


def test_several_words_are_counted_unless_the_estimate_passes_the_cap(
    client: Any, ten: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planner takes words as independent, so it estimates phrases too low:
    only its "more than the cap" is taken."""
    planner_says(monkeypatch, 384)
    body = search(client, q="orchard loans", page_size=3)
    assert (body["count"], body["count_capped"], body["count_is_estimate"]) == (10, False, False)
    planner_says(monkeypatch, 600)
    body = search(client, q="orchard loans", page_size=3)
    assert (body["count"], body["count_capped"], body["count_is_estimate"]) == (500, True, True)


def test_postgresqls_own_estimate_is_taken(
    client: Any, ten: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No stand-in: the planner's estimate of ten bankers, read from EXPLAIN."""
    monkeypatch.setattr(selectors, "EXACT_COUNT_BELOW", 1)
    estimates = selectors._estimates(SearchParams(q="orchard"))
    assert estimates.matches >= 1
    assert set(estimates.tiers) == {1, 2, 3}
    assert estimates.listed >= 1
    body = search(client, page_size=3)
    assert body["count_is_estimate"] is True
    assert body["count"] >= 4


def test_the_page_view_and_the_default_count(ten: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    planner_says(monkeypatch, 5000)
    page = banker_search_page(params=SearchParams(page_size=3))
    assert (page.count, page.count_capped, page.count_is_estimate, page.has_next) == (10, False, False, True)


@pytest.mark.parametrize(
    ("estimate", "shown"), [(100, 100), (384, 380), (385, 380), (1863, 1900), (99999, 100000)]
)
def test_two_figures(estimate: int, shown: int) -> None:
    assert selectors._two_figures(estimate) == shown


def test_connections_run_without_jit_or_parallel_workers() -> None:
    """At 1,000,000 bankers a search's plan passed jit_above_cost and compiled
    for 95 ms, and started workers for 28 ms, to run for 1 ms
    (b2bbank.settings.base.configure_database)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')")
        assert cursor.fetchone() == ("off", "0")


def test_a_word_the_statistics_do_not_hold_is_read_from_its_text_index() -> None:
    """Its estimate is the planner's stand-in for any untracked word; a tracked
    word as frequent walks; several words never take the shortcut."""
    untracked = search_sql.Estimates(
        matches=20000, tiers={3: 4452, 2: 4452, 1: 20000}, listed=890000, untracked={3: 4452, 2: 4452}
    )
    assert search_sql.tier_walks(untracked, 21)[3] is None
    tracked = search_sql.Estimates(
        matches=20000, tiers={3: 4452, 2: 4452, 1: 20000}, listed=890000, untracked={3: 100, 2: 100}
    )
    assert search_sql.tier_walks(tracked, 21)[3] is not None
    assert search_sql.tier_walks(untracked, 21, one_word=False)[3] is not None


def test_a_tiers_text_index_reads_its_matches_before_the_amount() -> None:
    """The amount is checked on the table, so the text index reads every match of
    the text and tags: the estimates before the amount's share scaled them."""
    text_and_tags = search_sql.Estimates(
        matches=13850, tiers={3: 100, 2: 400, 1: 13850}, listed=890000, untracked={3: 50, 2: 50}
    )
    with_amount = text_and_tags.with_amount_share(0.1)
    assert (with_amount.matches, with_amount.tiers, with_amount.untracked) == (
        1385,
        {3: 10, 2: 40, 1: 1385},
        {3: 5, 2: 5},
    )
    assert [with_amount.index_reads(tier) for tier in (3, 2, 1)] == [100, 400, 13850]
    assert text_and_tags.index_reads(1) == 13850
    # Never below one row, as the planner's estimates never are.
    assert text_and_tags.with_amount_share(0.00001).tiers[3] == 1


def test_a_walk_gives_up_once_it_has_cost_what_its_fallback_would() -> None:
    """ "fast closings" at 1,000,000 bankers: the estimate expected a walk of 680
    entries in the bio's tier, which found 15 of 21 there, and the fallback read
    59,328 rows. The walk now goes on as long as it is cheaper than the
    fallback by the planner's estimate, and no further."""
    estimates = search_sql.Estimates(
        matches=1385,
        tiers={3: 5, 2: 30, 1: 1385},
        listed=890000,
        untracked={3: 4452, 2: 4452},
        reads={3: 34, 2: 207, 1: 9555},
    )
    walks = search_sql.tier_walks(estimates, 21, one_word=False)
    assert walks[1] == 9555 * search_sql._INDEX_MATCH_COST // search_sql._ENTRY_COST[1]


def test_a_walk_expected_to_cost_more_than_its_fallback_does_not_start() -> None:
    """ "working capital" at $10,000: its name tier's expected walk (31,000
    entries, even taking the words' matches as 20 times the planner's) passes
    what the text index would read (428 rows), so the index goes first: it
    found none, in 7 buffers."""
    estimates = search_sql.Estimates(
        matches=7798,
        tiers={3: 60, 2: 60, 1: 7798},
        listed=890794,
        untracked={3: 624, 2: 624},
        reads={3: 428, 2: 428, 1: 55698},
    )
    walks = search_sql.tier_walks(estimates, 21, one_word=False)
    assert (walks[3], walks[2]) == (None, None)
    assert walks[1] is not None


def test_a_walk_never_passes_a_share_of_the_table() -> None:
    """Past it, its LIMIT could make PostgreSQL sort the whole table instead."""
    estimates = search_sql.Estimates(
        matches=1385, tiers={3: 5, 2: 30, 1: 1385}, listed=100000, reads={1: 1385000}
    )
    assert search_sql.tier_walks(estimates, 21, one_word=False)[1] == int(
        100000 * search_sql._WALK_BUDGET_SHARE
    )


def test_an_amounts_estimates_are_the_planners_own(ten: list[Any]) -> None:
    """The search's text and tags, scaled by the amount's share, are what the
    planner estimates for the whole search (it multiplies them too)."""
    from decimal import Decimal

    from directory import estimates
    from directory.models import Listing

    whole = SearchParams(q="orchard", amount=Decimal("50000"))
    sql, _args, _ = search_sql.estimates_sql(SearchParams(q="orchard"))
    clauses, clause_args = search_sql._matches(whole)
    planner = estimates._plan(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {Listing._meta.db_table} WHERE {' AND '.join(clauses)}",  # noqa: S608
        clause_args,
    )
    found = selectors._estimates(whole)
    assert abs(found.matches - planner["Plan Rows"]) <= 1
    assert found.reads[1] == selectors._estimates(SearchParams(q="orchard")).matches
    # Without text there are no tiers, whatever the amount.
    assert selectors._estimates(SearchParams(amount=Decimal("50000"))).tiers == {}
    assert sql.startswith("EXPLAIN")
    assert "lends" not in sql  # the amount is left out of the text and tags' EXPLAIN


@pytest.fixture
def remembering(settings: Any) -> None:
    """The search cache on, as in production: estimates are remembered."""
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 60


def test_estimates_are_remembered_per_search_and_per_amount(
    ten: list[Any], remembering: None, django_assert_num_queries: Any
) -> None:
    """A new amount of a known search asks the planner about the amount only;
    a known amount of a known search asks nothing."""
    from decimal import Decimal

    first = SearchParams(q="orchard", product="sba_loan", amount=Decimal("50000"))
    with django_assert_num_queries(2):
        selectors._estimates(first)
    with django_assert_num_queries(1):
        selectors._estimates(SearchParams(q="orchard", product="sba_loan", amount=Decimal("70000")))
    with django_assert_num_queries(0):
        again = selectors._estimates(
            SearchParams(q="orchard", product="sba_loan", amount=Decimal("50000"), page=2)
        )
    assert again == selectors._estimates(first)
    with django_assert_num_queries(1):  # another search, a known amount
        selectors._estimates(SearchParams(q="orchard", product="term_loan", amount=Decimal("50000")))


def test_with_the_search_cache_off_estimates_are_asked_each_time(
    ten: list[Any], django_assert_num_queries: Any
) -> None:
    """The bench's "nothing cached" rows: a search that shares nothing with an
    earlier one."""
    for _ in range(2):
        with django_assert_num_queries(1):
            selectors._estimates(SearchParams(q="orchard"))


def test_remembered_estimates_are_asked_again_after_a_while(
    ten: list[Any], remembering: None, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    from directory import estimates

    params = SearchParams(q="orchard")
    selectors._estimates(params)
    with django_assert_num_queries(0):
        selectors._estimates(params)
    now = estimates.time.monotonic()
    monkeypatch.setattr(estimates.time, "monotonic", lambda: now + estimates.ESTIMATES_SECONDS)
    with django_assert_num_queries(1):
        selectors._estimates(params)


def test_only_the_most_recent_searches_are_remembered(
    ten: list[Any], remembering: None, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    from directory import estimates

    monkeypatch.setattr(estimates, "REMEMBERED", 2)
    for word in ("orchard", "loans", "capital"):
        selectors._estimates(SearchParams(q=word))
    with django_assert_num_queries(0):
        selectors._estimates(SearchParams(q="capital"))
        selectors._estimates(SearchParams(q="loans"))
    with django_assert_num_queries(1):
        selectors._estimates(SearchParams(q="orchard"))
