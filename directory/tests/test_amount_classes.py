"""Amount classes: a new amount is answered from the cache when another amount
held by the same bankers was searched, and the answer is always the one a
search with the typed amount gives."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from accounts import services
from accounts.choices import VerificationStatus
from accounts.tests.factories import BankerFactory, OwnerFactory
from conftest import client_for
from directory import amount_classes, search_cache
from directory.filters import SearchParams

pytestmark = pytest.mark.django_db
URL = reverse("api:banker-list")
D = Decimal


@pytest.fixture(autouse=True)
def no_boundaries_from_earlier_tests() -> Any:
    amount_classes.forget()
    yield
    amount_classes.forget()


@pytest.fixture
def client() -> Any:
    return client_for(OwnerFactory())


def lender(low: str, high: str | None, **profile: Any) -> Any:
    return BankerFactory(
        profile__min_loan_amount=D(low),
        profile__max_loan_amount=None if high is None else D(high),
        **{f"profile__{key}": value for key, value in profile.items()},
    )


def search(client: Any, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_the_boundaries_are_each_minimum_and_each_maximum_plus_a_cent() -> None:
    lender("10000", "50000")
    lender("25000", None)
    lender("10000", "250000")
    rejected = lender("33333", "44444")
    services.banker_set_verification(banker_id=rejected.pk, status=VerificationStatus.REJECTED)

    read = amount_classes.read_boundaries("g")

    assert read.values == (D("10000"), D("25000"), D("50000.01"), D("250000.01"))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("9999.99", "0.00"),  # below every minimum: held by no one
        ("10000.00", "10000.00"),
        ("24999.99", "10000.00"),
        ("25000.00", "25000.00"),
        ("50000.00", "25000.00"),  # a maximum is still held
        ("50000.01", "50000.01"),  # a cent above it is not
        ("999999999.99", "50000.01"),
    ],
)
def test_floor_is_the_lowest_amount_of_the_class(amount: str, expected: str) -> None:
    values = (D("10000.00"), D("25000.00"), D("50000.01"))
    assert amount_classes.floor(D(amount), values) == D(expected)


def test_every_amount_gets_the_answer_of_a_search_with_that_amount(client: Any, settings: Any) -> None:
    """Generated ranges, amounts on and around every end, in random order, with
    the cache on; each answer is compared with the same search with the cache
    off (the typed amount, searched as typed)."""
    rng = random.Random(7)
    ends = [D(value) for value in ("10000", "25000", "50000", "100000", "250000", "1000000")]
    for _ in range(24):
        low = rng.choice(ends[:4])
        high = rng.choice([None, *(end for end in ends if end > low)])
        lender(str(low), None if high is None else str(high))
    amounts = {D("5000"), D("2000000")}
    for end in ends:
        amounts |= {end - D("0.01"), end, end + D("0.01"), end + D("1234.56")}
    filters = [{}, {"product": "term_loan"}, {"ordering": "min_amount"}, {"ordering": "-min_amount"}]
    asked = [(amount, extra) for amount in sorted(amounts) for extra in filters]
    rng.shuffle(asked)

    answers = [search(client, amount=str(amount), page_size=50, **extra) for amount, extra in asked]
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 0
    truth = [search(client, amount=str(amount), page_size=50, **extra) for amount, extra in asked]

    assert answers == truth
    assert sum(1 for body in truth if body["results"]) > len(truth) // 2  # the amounts do select bankers


def test_a_new_amount_in_a_known_class_costs_no_query(client: Any, django_assert_num_queries: Any) -> None:
    held = lender("100000", "500000")
    lender("250000", None)
    with django_assert_num_queries(4):  # the boundaries, the estimates (the filters', the amount's), the page
        first = search(client, amount="120000")
    with django_assert_num_queries(0):
        again = search(client, amount="199999.99")  # held by the same bankers as 120,000
    with django_assert_num_queries(2):  # another class: its amount's estimate, and the page
        other = search(client, amount="300000")
    assert [row["id"] for row in first["results"]] == [held.pk]
    assert again == first
    assert len(other["results"]) == 2


def test_a_listing_change_that_splits_a_class_is_searched_again(client: Any) -> None:
    lender("10000", None)
    moved = lender("40000", None)
    assert len(search(client, amount="30000")["results"]) == 1  # the class from 10,000 to 39,999.99

    services.profile_update(user=moved, user_fields={}, profile_fields={"min_loan_amount": D("25000")})

    assert len(search(client, amount="30000")["results"]) == 2
    assert len(search(client, amount="20000")["results"]) == 1


def test_a_change_that_announced_nothing_counts_once_the_cache_expires(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain SQL changes the listing without a new generation: the boundaries,
    like the cached pages, follow it once the cache's expiry has passed."""
    lender("10000", None)
    asked = SearchParams(amount=D("30000"))
    assert amount_classes.by_class(asked, "g1").amount == D("10000")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_bankerprofile SET min_loan_amount = 20000")
    assert amount_classes.by_class(asked, "g1").amount == D("10000")  # within the expiry

    later = amount_classes.time.monotonic() + settings.DIRECTORY_SEARCH_CACHE_SECONDS + 1
    monkeypatch.setattr(amount_classes.time, "monotonic", lambda: later)

    assert amount_classes.by_class(asked, "g1").amount == D("20000")


def test_a_new_generation_reads_the_boundaries_again(django_assert_num_queries: Any) -> None:
    lender("10000", None)
    asked = SearchParams(amount=D("30000"))
    with django_assert_num_queries(1):
        amount_classes.by_class(asked, "g1")
    with django_assert_num_queries(0):
        amount_classes.by_class(asked, "g1")
    with django_assert_num_queries(1):
        amount_classes.by_class(asked, "g2")


def test_too_many_boundaries_take_amounts_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(amount_classes, "MAX_BOUNDARIES", 2)
    for low in ("10000", "20000", "30000"):
        lender(low, None)
    asked = SearchParams(amount=D("25000"))
    assert amount_classes.by_class(asked, "g").amount == D("25000")


def test_without_an_amount_nothing_is_read(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert amount_classes.by_class(SearchParams(q="sba"), "g") == SearchParams(q="sba")


def test_the_cache_off_searches_the_amount_as_typed(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 0
    seen: list[SearchParams] = []
    monkeypatch.setattr(
        search_cache,
        "banker_search_page",
        lambda *, params, use_estimates, as_json: seen.append(params) or None,
    )
    search_cache.cached_search(params=SearchParams(amount=D("30000")), shape="rows", build=lambda page: page)
    assert seen == [SearchParams(amount=D("30000"))]


def test_a_new_amount_in_a_known_class_waits_for_redis_once(
    client: Any, redis_round_trips: list[list[str]], django_assert_num_queries: Any
) -> None:
    """Its entry is read in the throttle's round trip, like a repeated search's."""
    lender("100000", "500000")
    first = search(client, amount="120000")
    redis_round_trips.clear()
    with django_assert_num_queries(0):
        again = search(client, amount="450000.50")
    assert again == first
    assert redis_round_trips == [["SET", "INCRBY", "MGET"]]
