"""Directory pages: the search form keeps its values and shows errors, results,
counts and an empty state; profiles show what an owner needs and the next actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Product, VerificationStatus
from accounts.models import User
from accounts.tests.factories import BankerFactory, OwnerFactory, UserFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client() -> Client:
    return logged_in(OwnerFactory())


def test_search_page_lists_matches_with_count_and_keeps_values(owner_client: Client) -> None:
    BankerFactory(first_name="Ximena", last_name="Ruiz", profile__region="CA")
    BankerFactory(first_name="Otto", last_name="Berg", profile__region="TX")
    response = owner_client.get(SEARCH, {"q": "ximena", "region": "CA", "product": "term_loan"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ximena Ruiz" in html
    assert "Otto Berg" not in html
    assert "1 banker matches" in html
    assert 'value="ximena"' in html
    assert 'value="CA"' in html
    assert '<option value="term_loan" selected>' in html


def test_search_page_says_what_to_do_when_nothing_matches(owner_client: Client) -> None:
    BankerFactory()
    response = owner_client.get(SEARCH, {"q": "zeppelin"})
    html = response.content.decode()
    assert "0 bankers match" in html
    assert "No bankers match this search" in html
    assert "remove a filter" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"amount": "abc"}, "Enter a plain number with digits"),
        ({"amount": "-5"}, "greater than or equal to 0.01"),
        ({"product": "unknown"}, "Select a valid choice."),
        ({"page_size": "500"}, "Page size:"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_search_page_shows_bad_input_on_the_form(
    owner_client: Client, params: dict[str, str], message: str
) -> None:
    response = owner_client.get(SEARCH, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the search below." in html
    assert message in html


def test_search_page_paginates(owner_client: Client) -> None:
    for index in range(3):
        BankerFactory(profile__min_loan_amount=Decimal(1000 + index))
    html = owner_client.get(SEARCH, {"page_size": 2, "ordering": "min_amount"}).content.decode()
    assert "Page 1 of 2" in html
    assert "page=2" in html
    assert owner_client.get(SEARCH, {"page_size": 2, "page": 5}).status_code == 404


def test_search_page_query_count_is_fixed(owner_client: Client, django_assert_num_queries: Any) -> None:
    for _ in range(8):
        BankerFactory()
    # session + user (auth), the nav's unread-notifications count, then the page with its capped count
    with django_assert_num_queries(4):
        owner_client.get(SEARCH, {"page_size": 3})
    with django_assert_num_queries(4):
        owner_client.get(SEARCH, {"page_size": 8, "q": "loans"})


def test_profile_shows_lending_details_and_actions_for_owners(owner_client: Client) -> None:
    banker = BankerFactory(
        first_name="Ana",
        last_name="Lima",
        profile__institution="Quill Bank",
        profile__job_title="SBA Lending Specialist",
        profile__bio="Twenty years in SBA lending.",
        profile__products=[Product.SBA_LOAN],
        profile__min_loan_amount=Decimal(50000),
        profile__max_loan_amount=Decimal(2000000),
    )
    html = owner_client.get(reverse("directory:profile", args=[banker.pk])).content.decode()
    for text in (
        "Ana Lima",
        "Quill Bank",
        "SBA Lending Specialist",
        "Twenty years in SBA lending.",
        "SBA loan",
        "$50,000 \u2013 $2,000,000",
        "Manufacturing",
        "San Francisco, CA",
        "Available",
        "Accepting new clients",
    ):
        assert text in html, text
    assert f'href="{reverse("loans:new")}?banker={banker.pk}">Apply</a>' in html


def test_apply_is_disabled_with_a_reason_when_the_banker_takes_no_new_clients(owner_client: Client) -> None:
    banker = BankerFactory(first_name="Ana", last_name="Lima", profile__accepting_new_clients=False)
    html = owner_client.get(reverse("directory:profile", args=[banker.pk])).content.decode()
    assert f"?banker={banker.pk}" not in html
    assert ">Apply</button>" in html
    assert "Ana Lima is not taking new clients right now" in html


def test_profile_has_no_actions_for_bankers() -> None:
    banker = BankerFactory()
    html = logged_in(BankerFactory()).get(reverse("directory:profile", args=[banker.pk])).content.decode()
    assert ">Apply</button>" not in html
    assert "Business owners can message this banker" in html


@pytest.mark.parametrize(
    "hidden",
    [
        {"profile__verification_status": VerificationStatus.PENDING},
        {"profile__verification_status": VerificationStatus.REJECTED},
        {"is_active": False},
    ],
    ids=["pending", "rejected", "inactive"],
)
def test_unlisted_bankers_are_not_on_the_search_page_and_have_no_profile(
    owner_client: Client, hidden: dict[str, Any]
) -> None:
    BankerFactory(first_name="Listed", last_name="Banker")
    banker = BankerFactory(first_name="Hidden", last_name="Banker", **hidden)
    for params in ({}, {"q": "banker"}):
        html = owner_client.get(SEARCH, params).content.decode()
        assert "Listed Banker" in html
        assert "Hidden Banker" not in html
    assert owner_client.get(reverse("directory:profile", args=[banker.pk])).status_code == 404


def test_user_without_role_may_not_browse() -> None:
    nobody: User = UserFactory()
    client = logged_in(nobody)
    assert client.get(SEARCH).status_code == 403
    api = client.get(reverse("api:banker-list"))
    assert api.status_code == 403


def test_owner_dashboard_and_nav_link_to_the_directory(owner_client: Client) -> None:
    html = owner_client.get(reverse("accounts:owner-home")).content.decode()
    nav, _, main = html.partition("<main")
    assert f'href="{SEARCH}"' in nav
    assert f'href="{SEARCH}"' in main
