"""The search cache: a repeated search costs no query, and every way a banker's
listing can change makes the cached pages stale at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from accounts import services
from accounts.choices import VerificationStatus
from accounts.models import BankerProfile, User
from accounts.tests.factories import BankerFactory, OwnerFactory
from conftest import client_for
from directory import search_cache
from directory.filters import SearchParams

pytestmark = pytest.mark.django_db
URL = reverse("api:banker-list")


@pytest.fixture
def client() -> Any:
    return client_for(OwnerFactory())


@pytest.fixture
def listed() -> Any:
    return BankerFactory(first_name="Rosalind", profile__bio="Orchard and vineyard loans.")


def names(client: Any, **params: Any) -> list[str]:
    response = client.get(URL, {"q": "orchard", **params})
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_a_repeated_search_costs_no_query(client: Any, listed: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):  # the estimates and the page
        first = client.get(URL, {"q": "orchard"}).json()
    with django_assert_num_queries(0):  # force_authenticate: no token query either
        again = client.get(URL, {"q": "orchard"}).json()
    assert again == first
    assert [row["id"] for row in again["results"]] == [listed.pk]


def test_region_case_shares_an_entry(client: Any, listed: Any, django_assert_num_queries: Any) -> None:
    client.get(URL, {"region": listed.banker_profile.region.lower()})
    with django_assert_num_queries(0):
        client.get(URL, {"region": listed.banker_profile.region.upper()})


def test_different_searches_do_not_share_an_entry(client: Any, listed: Any) -> None:
    assert names(client) == ["Rosalind " + listed.last_name]
    assert names(client, q="nothingmatchesthis") == []
    assert names(client, page_size=1) == ["Rosalind " + listed.last_name]


def test_the_cache_can_be_turned_off(
    client: Any, listed: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 0
    for _ in range(2):
        with django_assert_num_queries(2):  # the estimates (not remembered either) and the page, each time
            client.get(URL, {"q": "orchard"})


def _profile_update(banker: Any) -> None:
    services.profile_update(user=banker, user_fields={}, profile_fields={"bio": "Dairy farm loans."})


def _reject(banker: Any) -> None:
    services.banker_set_verification(banker_id=banker.pk, status=VerificationStatus.REJECTED)


def _deactivate(banker: Any) -> None:
    services.user_deactivate(user_id=banker.pk)


def _rename(banker: Any) -> None:
    banker.first_name = "Beatrix"
    banker.save(update_fields=["first_name"])
    services.banker_sync_display_name(user=banker)


def _direct_save(banker: Any) -> None:
    """As the admin's profile inline or a shell would: a plain save()."""
    profile = BankerProfile.objects.get(user=banker)
    profile.bio = "Dairy farm loans."
    profile.save()


def _delete(banker: Any) -> None:
    User.objects.filter(pk=banker.pk).delete()


@pytest.mark.parametrize(
    "change",
    [_profile_update, _reject, _deactivate, _rename, _direct_save, _delete],
    ids=lambda f: f.__name__,
)
def test_every_listing_change_makes_cached_searches_stale(client: Any, listed: Any, change: Any) -> None:
    before = names(client)
    assert before == ["Rosalind " + listed.last_name]
    change(listed)
    after = names(client)
    assert after != before
    assert after in ([], ["Beatrix " + listed.last_name])


def test_a_new_verified_banker_appears_in_a_cached_search(client: Any, listed: Any) -> None:
    assert len(names(client)) == 1
    newcomer = BankerFactory(
        profile__bio="Orchard equipment.", profile__verification_status=VerificationStatus.PENDING
    )
    assert len(names(client)) == 1
    services.banker_set_verification(banker_id=newcomer.pk, status=VerificationStatus.VERIFIED)
    assert len(names(client)) == 2


def test_a_sign_in_does_not_invalidate(client: Any, listed: Any, django_assert_num_queries: Any) -> None:
    names(client)
    listed.save(update_fields=["last_login"])
    with django_assert_num_queries(0):
        names(client)


def test_a_page_stored_before_the_change_commits_is_stale_after(
    listed: Any, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    """A search in another process can read the old rows after the change's first
    invalidation and before its commit; the second invalidation, at commit, makes
    what it stored stale."""
    params = SearchParams(q="orchard")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.profile_update(
            user=listed, user_fields={}, profile_fields={"min_loan_amount": Decimal("60000")}
        )
        search_cache.cached_banker_search_page(params=params)  # stored under the first new generation
        with django_assert_num_queries(0):
            search_cache.cached_banker_search_page(params=params)
    for callback in callbacks:
        callback()
    with django_assert_num_queries(1):
        search_cache.cached_banker_search_page(params=params)


def test_the_page_caches_its_searches_too(listed: Any, django_assert_num_queries: Any) -> None:
    page_client = Client()
    page_client.force_login(OwnerFactory())
    url = reverse("directory:search")
    with django_assert_num_queries(4):  # session, user, the nav's unread count, the search
        first = page_client.get(url, {"q": "orchard"})
    with django_assert_num_queries(3):  # the search is cached
        again = page_client.get(url, {"q": "orchard"})
    assert first.status_code == again.status_code == 200
    assert "Rosalind" in again.content.decode()


@pytest.mark.parametrize(
    "params", [{"q": "orchard"}, {"q": "orchard", "page_size": 1}, {"q": "nothingmatches"}]
)
def test_a_cached_answer_is_the_same_bytes_as_a_fresh_one(
    client: Any, listed: Any, settings: Any, params: dict[str, Any]
) -> None:
    """The API caches its results already rendered; what it sends from the cache
    must be exactly what it sends without one."""
    BankerFactory(first_name="Ángel", profile__bio='Orchard equipment, "quoted" </script>')
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 0
    fresh = client.get(URL, params)
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 60
    stored = client.get(URL, params)
    cached = client.get(URL, params)
    assert fresh.status_code == stored.status_code == cached.status_code == 200
    assert fresh.content == stored.content == cached.content
    assert fresh["Content-Type"] == cached["Content-Type"] == "application/json"
    # ...and what DRF's own renderer writes for the same data (key order, separators, unicode).
    assert cached.content == JSONRenderer().render(cached.json())
    assert list(cached.json()) == [
        "count",
        "count_capped",
        "count_is_estimate",
        "next",
        "previous",
        "results",
    ]


def test_a_cached_api_search_waits_for_redis_once(
    client: Any, listed: Any, redis_round_trips: list[list[str]], django_assert_num_queries: Any
) -> None:
    """The answer is read in the throttle's round trip (throttle_cache_reads)."""
    first = client.get(URL, {"q": "orchard"})
    redis_round_trips.clear()
    with django_assert_num_queries(0):
        again = client.get(URL, {"q": "orchard"})
    assert again.content == first.content
    assert redis_round_trips == [["SET", "INCRBY", "MGET"]]


def test_without_a_throttle_the_api_reads_the_cache_itself(
    client: Any, listed: Any, redis_round_trips: list[list[str]], django_assert_num_queries: Any
) -> None:
    from directory.api.views import BankerListApi

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BankerListApi, "throttle_classes", ())
        first = client.get(URL, {"q": "orchard"})
        redis_round_trips.clear()
        with django_assert_num_queries(0):
            again = client.get(URL, {"q": "orchard"})
    assert again.content == first.content
    assert redis_round_trips == [["MGET"]]
