"""The directory API as a client sees it: filters, ordering, pagination, bad input,
visibility, and a fixed number of queries per request."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Availability, Industry, Product, VerificationStatus
from accounts.models import BankerProfile
from accounts.tests.factories import BankerFactory, OwnerFactory
from conftest import client_for
from directory import search_sql
from directory.api.serializers import BankerListItemOutput

pytestmark = pytest.mark.django_db
URL = reverse("api:banker-list")


def banker(**profile: Any) -> Any:
    names = {key: profile.pop(key) for key in ("first_name", "last_name", "is_active") if key in profile}
    return BankerFactory(**names, **{f"profile__{key}": value for key, value in profile.items()})


@pytest.fixture
def owner() -> Any:
    return OwnerFactory()


@pytest.fixture
def client(owner: Any) -> Any:
    return client_for(owner)


def search(client: Any, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(body: dict[str, Any]) -> list[int]:
    return [row["id"] for row in body["results"]]


# --- filters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("first_name", "Ximena", "ximena"),
        ("institution", "Quillfeather Savings", "quillfeather"),
        ("job_title", "Agribusiness Director", "agribusiness"),
        ("bio", "Specialist in vineyard acquisitions.", "vineyards"),
        ("city", "Tallahassee", "Tallahassee"),
    ],
)
def test_q_matches_name_institution_title_bio_city(client: Any, field: str, value: str, query: str) -> None:
    match = banker(**{field: value})
    banker()
    assert ids(search(client, q=query)) == [match.pk]


def test_q_requires_every_word_when_several_are_given(client: Any) -> None:
    both = banker(bio="Dairy farms and orchards.")
    banker(bio="Dairy processing only.")
    assert ids(search(client, q="dairy orchards")) == [both.pk]


@pytest.mark.parametrize("query", ["the", "'\"&|!:*()<->", "-", "harbor OR", "\\"])
def test_q_with_operators_or_only_stop_words_is_not_an_error(client: Any, query: str) -> None:
    banker()
    assert client.get(URL, {"q": query}).status_code == 200


def test_product_filter_when_banker_offers_it(client: Any) -> None:
    sba = banker(products=[Product.SBA_LOAN, Product.TERM_LOAN])
    banker(products=[Product.TERM_LOAN])
    assert ids(search(client, product="sba_loan")) == [sba.pk]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("49999.99", ["none"]),
        ("50000", ["bounded", "open"]),
        ("250000.50", ["bounded", "open"]),
        ("2000000", ["bounded", "open"]),
        ("2000000.01", ["open"]),
        ("90000000", ["open"]),
    ],
)
def test_amount_filter_when_within_min_and_max(client: Any, amount: str, expected: list[str]) -> None:
    made = {
        "bounded": banker(min_loan_amount=Decimal(50000), max_loan_amount=Decimal(2000000)),
        "open": banker(min_loan_amount=Decimal(50000), max_loan_amount=None),
    }
    found = set(ids(search(client, amount=amount)))
    assert found == {made[name].pk for name in expected if name in made}


def test_industry_filter(client: Any) -> None:
    health = banker(industries=[Industry.HEALTHCARE, Industry.RETAIL])
    banker(industries=[Industry.RETAIL])
    assert ids(search(client, industry="healthcare")) == [health.pk]


def test_region_filter_ignores_case(client: Any) -> None:
    ca = banker(region="CA")
    banker(region="TX")
    assert ids(search(client, region="ca")) == [ca.pk]


def test_availability_filter(client: Any) -> None:
    busy = banker(availability=Availability.BUSY)
    banker(availability=Availability.AVAILABLE)
    assert ids(search(client, availability="busy")) == [busy.pk]


@pytest.mark.parametrize(("value", "which"), [("true", "yes"), ("false", "no")])
def test_accepting_filter(client: Any, value: str, which: str) -> None:
    made = {"yes": banker(accepting_new_clients=True), "no": banker(accepting_new_clients=False)}
    assert ids(search(client, accepting=value)) == [made[which].pk]


def test_issue_example_equipment_250k_in_california_available_now(client: Any) -> None:
    """ "Who will lend me $250,000 for equipment in California, and is available now?"."""
    right = banker(
        products=[Product.EQUIPMENT_FINANCING],
        region="CA",
        availability=Availability.AVAILABLE,
        min_loan_amount=Decimal(100000),
        max_loan_amount=Decimal(500000),
        bio="Equipment loans for machine shops.",
    )
    banker(products=[Product.TERM_LOAN], region="CA", bio="Equipment loans.")  # wrong product
    banker(products=[Product.EQUIPMENT_FINANCING], region="TX", bio="Equipment loans.")  # wrong state
    banker(
        products=[Product.EQUIPMENT_FINANCING], region="CA", availability=Availability.AWAY, bio="Equipment."
    )
    banker(
        products=[Product.EQUIPMENT_FINANCING],
        region="CA",
        min_loan_amount=Decimal(300000),
        max_loan_amount=None,
        bio="Equipment loans.",
    )  # minimum too high
    body = search(
        client,
        q="equipment",
        product="equipment_financing",
        amount="250000",
        region="CA",
        availability="available",
    )
    assert ids(body) == [right.pk]
    assert body["count"] == 1


# --- visibility ----------------------------------------------------------------


@pytest.mark.parametrize(
    "hidden",
    [
        {"verification_status": VerificationStatus.PENDING},
        {"verification_status": VerificationStatus.REJECTED},
        {"is_active": False},
    ],
    ids=["pending", "rejected", "inactive"],
)
def test_only_verified_active_bankers_are_listed_or_readable(client: Any, hidden: dict[str, Any]) -> None:
    listed = banker(bio="Orchard loans.")
    unlisted = banker(bio="Orchard loans.", **hidden)
    assert ids(search(client)) == [listed.pk]
    assert ids(search(client, q="orchard")) == [listed.pk]
    assert client.get(reverse("api:banker-detail", args=[unlisted.pk])).status_code == 404
    assert client.get(reverse("api:banker-detail", args=[listed.pk])).status_code == 200


# --- ordering ------------------------------------------------------------------


def test_relevance_ranks_name_match_above_bio_match(client: Any) -> None:
    in_bio = banker(bio="I refer clients to Okonkwo partners.", institution="Plain Bank")
    in_name = banker(last_name="Okonkwo", bio="Farm loans.", institution="Plain Bank")
    assert ids(search(client, q="okonkwo")) == [in_name.pk, in_bio.pk]
    assert ids(search(client, q="okonkwo", ordering="relevance")) == [in_name.pk, in_bio.pk]


def test_min_amount_ordering_both_directions(client: Any) -> None:
    mid = banker(min_loan_amount=Decimal(50000))
    low = banker(min_loan_amount=Decimal(10000))
    high = banker(min_loan_amount=Decimal(900000), max_loan_amount=None)
    assert ids(search(client, ordering="min_amount")) == [low.pk, mid.pk, high.pk]
    assert ids(search(client, ordering="-min_amount")) == [high.pk, mid.pk, low.pk]


def test_text_search_can_be_ordered_by_amount(client: Any) -> None:
    high = banker(bio="Vineyard loans.", min_loan_amount=Decimal(500000), max_loan_amount=None)
    low = banker(bio="Vineyard loans.", min_loan_amount=Decimal(20000))
    banker(bio="Dairy loans.", min_loan_amount=Decimal(10000))
    assert ids(search(client, q="vineyard", ordering="min_amount")) == [low.pk, high.pk]


def test_newest_is_the_default_without_text(client: Any) -> None:
    old = banker()
    new = banker()
    BankerProfile.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert ids(search(client)) == [new.pk, old.pk]
    assert ids(search(client, ordering="newest")) == [new.pk, old.pk]


# --- pagination ----------------------------------------------------------------


def test_page_number_pagination_with_links(client: Any) -> None:
    made = [banker(min_loan_amount=Decimal(1000 * (i + 1))) for i in range(5)]
    first = search(client, ordering="min_amount", page_size=2)
    assert first["count"] == 5
    assert first["count_capped"] is False
    assert ids(first) == [made[0].pk, made[1].pk]
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert "page_size=2" in first["next"]
    last = search(client, ordering="min_amount", page_size=2, page=3)
    assert ids(last) == [made[4].pk]
    assert last["next"] is None
    assert "page=2" in last["previous"]


def test_page_past_the_results_is_404(client: Any) -> None:
    banker()
    assert client.get(URL, {"page": 2}).status_code == 404
    assert client.get(URL, {"page": 1, "q": "nothingmatchesthis"}).status_code == 200


def test_count_stops_at_the_cap_and_says_so(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_sql, "SEARCH_CAP", 3)
    for _ in range(5):
        banker(bio="Cattle ranch loans.")
    for params in ({}, {"q": "cattle"}):
        body = search(client, page_size=2, **params)
        assert (body["count"], body["count_capped"]) == (3, True)
        assert len(ids(search(client, page_size=2, page=2, **params))) == 1
        assert client.get(URL, {"page_size": 2, "page": 3, **params}).status_code == 404


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"product": "unknown"}, "product"),
        ({"industry": "mining"}, "industry"),
        ({"availability": "sometimes"}, "availability"),
        ({"accepting": "maybe"}, "accepting"),
        ({"page_size": "51"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"ordering": "name"}, "ordering"),
        ({"ordering": "relevance"}, "ordering"),
        ({"q": "x" * 201}, "q"),
        ({"sort": "newest"}, "sort"),
        ({"product": ["sba_loan", "term_loan"]}, "product"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(client: Any, params: dict[str, Any], field: str) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json(), response.json()


# --- shape and cost ------------------------------------------------------------


def test_list_item_shape_matches_the_documented_schema(client: Any) -> None:
    made = banker(
        first_name="Ana", last_name="Lima", min_loan_amount=Decimal("25000.00"), max_loan_amount=None
    )
    row = search(client)["results"][0]
    assert set(row) == set(BankerListItemOutput().fields)
    assert row["id"] == made.pk
    assert row["name"] == "Ana Lima"
    assert row["min_loan_amount"] == "25000.00"
    assert row["max_loan_amount"] is None


def test_detail_shows_the_public_profile(client: Any) -> None:
    made = banker(first_name="Ana", last_name="Lima", bio="Twenty years in SBA lending.")
    body = client.get(reverse("api:banker-detail", args=[made.pk])).json()
    assert body["name"] == "Ana Lima"
    assert body["bio"] == "Twenty years in SBA lending."
    assert body["min_loan_amount"] == "50000.00"
    assert "email" not in body
    assert "verification_status" not in body


@pytest.mark.parametrize(
    "params", [{}, {"q": "loans"}, {"product": "term_loan", "amount": "60000", "region": "ca"}]
)
def test_list_costs_two_queries_whatever_the_page_size(
    client: Any, params: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for _ in range(12):
        banker(bio="Working capital loans.")
    for n, size in enumerate((2, 12, 50)):
        # The page with its count; force_authenticate needs none. The first search
        # asks PostgreSQL's estimates (one EXPLAIN, and one more for an amount),
        # remembered after it, and with an amount, the first search since the
        # listing changed reads the amount classes' boundaries.
        first = 1 + 2 * ("amount" in params) if n == 0 else 0
        with django_assert_num_queries(1 + first):
            body = search(client, page_size=size, **params)
        assert len(body["results"]) == min(size, 12)


def test_a_repeated_query_string_is_validated_once(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from directory import filters

    filters.parse_search_query.cache_clear()
    built: list[bool] = []
    original_init = filters.BankerSearchForm.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(True)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(filters.BankerSearchForm, "__init__", counting_init)
    for _ in range(3):
        search(client, q="loans", region="CA")
        bad = client.get(URL, {"amount": "abc"})
        assert bad.status_code == 400
        assert "amount" in bad.json()
    assert len(built) == 1  # one form for the bad query string; the plain one takes the fast path


def test_non_ascii_search_text_round_trips(client: Any) -> None:
    made = banker(bio="Crème brûlée bakeries and cafés.")
    assert ids(search(client, q="brûlée")) == [made.pk]
    assert ids(search(client, q="brulee")) == []


def test_the_query_string_is_validated_as_sent(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both readers (the throttle's cache read and the view) take the query
    string as the client sent it, not re-encoded by `QueryDict.urlencode()`,
    which quoted every value again on each request."""
    from directory.api import views

    seen: list[str] = []
    parse = views.parse_search_query

    def recording(query: str) -> Any:
        seen.append(query)
        return parse(query)

    monkeypatch.setattr(views, "parse_search_query", recording)
    banker(bio="SBA loans.")
    response = client.get(f"{URL}?q=sba%20loans&region=CA&page_size=5")
    assert response.status_code == 200
    assert seen == ["q=sba%20loans&region=CA&page_size=5"] * 2


def test_a_query_string_with_raw_non_ascii_reads_as_django_reads_it(client: Any) -> None:
    """Unencoded UTF-8 in the query string (a WSGI server hands it over as
    Latin-1) is read through Django's `QueryDict`, as the encoded form is."""
    made = banker(bio="Crème brûlée bakeries and cafés.")
    sent = "q=brûlée".encode().decode("iso-8859-1")
    response = client.get(URL, QUERY_STRING=sent)
    assert response.status_code == 200, response.content
    assert ids(response.json()) == [made.pk]
