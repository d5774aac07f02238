"""Remembered API tokens (authentication.token_cache): used only while the listener is
proven live, forgotten when PostgreSQL announces a committed change to the user
or its tokens, whoever wrote it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from accounts.tests.factories import PASSWORD, OwnerFactory
from authentication import services
from authentication.models import ApiToken
from authentication.selectors import token_from_key
from authentication.token_cache import CHANNEL, TRUST_SECONDS, TokenCache, listener_settings, token_cache


def wait_until(predicate: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


# -- the cache on its own ---------------------------------------------------------


@pytest.fixture
def trusted_cache() -> TokenCache:
    cache = TokenCache(max_entries=3)
    cache._heard_beat_sent_at = time.monotonic() + 3600  # as if the listener had just been heard
    cache._listener = object()  # type: ignore[assignment]  # and was running: no thread here
    return cache


def remember(cache: TokenCache, key_hash: str, user_id: int, *, expires_in: float = 3600) -> None:
    cache.remember(
        key_hash,
        user_id=user_id,
        row=(user_id, key_hash),
        expires_at=timezone.now() + timedelta(seconds=expires_in),
        generation=cache.generation(),
    )


def test_a_remembered_row_is_answered_until_its_user_is_forgotten(trusted_cache: TokenCache) -> None:
    remember(trusted_cache, "k1", 1)
    remember(trusted_cache, "k2", 1)
    remember(trusted_cache, "k3", 2)
    now = timezone.now()
    assert trusted_cache.row("k1", now=now) == (1, "k1")
    trusted_cache.forget_users([1])
    assert [trusted_cache.row(k, now=now) for k in ("k1", "k2", "k3")] == [None, None, (2, "k3")]
    trusted_cache._apply("*")
    assert trusted_cache.row("k3", now=now) is None


def test_notice_payloads_forget_the_users_they_name(trusted_cache: TokenCache) -> None:
    for key_hash, user_id in (("a", 5), ("b", 6), ("c", 7)):
        remember(trusted_cache, key_hash, user_id)
    trusted_cache._apply("5,7")
    now = timezone.now()
    assert [trusted_cache.row(k, now=now) for k in ("a", "b", "c")] == [None, (6, "b"), None]
    trusted_cache._apply("garbage")  # never expected: forget everything rather than guess
    assert trusted_cache.row("b", now=now) is None


def test_a_row_read_before_a_change_is_not_kept_after_it(trusted_cache: TokenCache) -> None:
    generation = trusted_cache.generation()
    trusted_cache.forget_users([99])  # a change lands while the row is being read
    trusted_cache.remember(
        "k", user_id=1, row=(1,), expires_at=timezone.now() + timedelta(hours=1), generation=generation
    )
    assert trusted_cache.row("k", now=timezone.now()) is None


def test_an_expired_token_is_not_answered(trusted_cache: TokenCache) -> None:
    remember(trusted_cache, "k", 1, expires_in=1)
    assert trusted_cache.row("k", now=timezone.now()) is not None
    assert trusted_cache.row("k", now=timezone.now() + timedelta(seconds=2)) is None


def test_nothing_is_answered_or_kept_once_the_listener_is_not_heard(trusted_cache: TokenCache) -> None:
    remember(trusted_cache, "k", 1)
    trusted_cache._heard_beat_sent_at = time.monotonic() - TRUST_SECONDS - 0.1
    assert trusted_cache.row("k", now=timezone.now()) is None
    assert trusted_cache.generation() is None


def test_the_cache_stays_bounded(trusted_cache: TokenCache) -> None:
    for number in range(4):
        remember(trusted_cache, f"k{number}", number)
    now = timezone.now()
    assert [trusted_cache.row(f"k{n}", now=now) is not None for n in range(4)] == [False, False, False, True]


def test_switched_off_it_neither_answers_nor_keeps(trusted_cache: TokenCache, settings: Any) -> None:
    remember(trusted_cache, "k", 1)
    settings.B2BBANK_TOKEN_CACHE_SECONDS = 0
    assert trusted_cache.row("k", now=timezone.now()) is None
    assert trusted_cache.generation() is None


def test_the_listener_never_takes_a_pooled_connection() -> None:
    """Daphne processes use psycopg's pool (DJANGO_DB_POOL); a LISTEN left on a pooled
    connection would follow it to the next request."""
    pooled = {"NAME": "b2bbank", "OPTIONS": {"pool": {"max_size": 10}, "sslmode": "require"}}
    settings_dict = listener_settings(pooled)
    assert "pool" not in settings_dict["OPTIONS"]
    assert settings_dict["OPTIONS"]["sslmode"] == "require"
    assert settings_dict["OPTIONS"]["keepalives"] == 1
    assert pooled["OPTIONS"]["pool"] == {"max_size": 10}  # Django's own settings untouched


# -- with PostgreSQL: the triggers and the listener ---------------------------------


def other_connection() -> psycopg.Connection[Any]:
    """A connection outside Django, the way another process (or psql) would write."""
    params = connection.get_connection_params()
    return psycopg.connect(
        dbname=params["dbname"],
        user=params.get("user"),
        password=params.get("password"),
        host=params.get("host"),
        port=params.get("port"),
        autocommit=True,
    )


@pytest.fixture
def live_token(transactional_db: Any) -> tuple[str, Any]:
    """A committed token that the running listener has let the cache remember."""
    owner = OwnerFactory()
    key, _ = services.token_create(request=RequestFactory().post("/"), email=owner.email, password=PASSWORD)
    assert token_from_key(key=key) is not None  # starts the listener
    assert wait_until(token_cache.trusted), "the listener never heard its own beat"
    token_cache.forget_all()
    assert token_from_key(key=key) is not None
    assert token_cache.row(ApiToken.hash_key(key), now=timezone.now()) is not None
    return key, owner


def test_a_remembered_token_needs_no_query(
    live_token: tuple[str, Any], django_assert_num_queries: Any
) -> None:
    key, owner = live_token
    with django_assert_num_queries(0):
        token = token_from_key(key=key)
    assert token is not None
    assert (token.user.pk, token.user.email) == (owner.pk, owner.email)
    assert token_from_key(key=key).user is not token.user  # type: ignore[union-attr]  # never shared


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE accounts_apitoken SET revoked_at = now() WHERE user_id = %s",
        "DELETE FROM accounts_apitoken WHERE user_id = %s",
        "UPDATE accounts_user SET is_active = false WHERE id = %s",
    ],
    ids=["revoked", "deleted", "user-deactivated"],
)
def test_a_change_committed_elsewhere_is_heard_and_the_token_refused(
    live_token: tuple[str, Any], change: str
) -> None:
    """Plain SQL from another connection: no Django signal, only the trigger's notice."""
    key, owner = live_token
    with other_connection() as conn:
        conn.execute(change, [owner.pk])
    assert wait_until(lambda: token_cache.row(ApiToken.hash_key(key), now=timezone.now()) is None, 2)
    assert token_cache.trusted()  # forgotten on the notice, not because the listener went quiet
    assert token_from_key(key=key) is None


def test_a_change_to_another_user_keeps_the_token(live_token: tuple[str, Any]) -> None:
    key, _ = live_token
    other = OwnerFactory()
    with other_connection() as conn:
        conn.execute("UPDATE accounts_user SET first_name = 'Renamed' WHERE id = %s", [other.pk])
        conn.execute("SELECT pg_sleep(0.3)")  # time for the notice to be heard
    assert token_cache.row(ApiToken.hash_key(key), now=timezone.now()) is not None


def test_the_triggers_name_the_users_of_each_statement(transactional_db: Any) -> None:
    owners = [OwnerFactory() for _ in range(3)]
    ids = sorted(owner.pk for owner in owners)
    with other_connection() as listener, other_connection() as writer:
        listener.execute(f"LISTEN {CHANNEL}")
        writer.execute("UPDATE accounts_user SET last_name = 'X' WHERE id = ANY(%s)", [ids])
        writer.execute("UPDATE accounts_user SET last_name = 'Y' WHERE id = -1")  # no row: no notice
        # No token for that user: no notice either.
        writer.execute("UPDATE accounts_apitoken SET revoked_at = now() WHERE user_id = %s", [ids[0]])
        heard = [n.payload for n in listener.notifies(timeout=0.5) if not n.payload.startswith("beat:")]
    assert len(heard) == 1
    assert sorted(int(part) for part in heard[0].split(",")) == ids


def test_a_lost_listener_sends_every_lookup_to_the_database_until_it_is_back(
    live_token: tuple[str, Any], django_assert_num_queries: Any
) -> None:
    key, _ = live_token
    with other_connection() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query LIKE %s AND pid <> pg_backend_pid()",
            ["%pg_notify%"],
        )
    assert wait_until(lambda: not token_cache.trusted(), TRUST_SECONDS + 1)
    with django_assert_num_queries(1):
        assert token_from_key(key=key) is not None
    assert wait_until(token_cache.trusted), "the listener did not come back"
    assert token_from_key(key=key) is not None
    with django_assert_num_queries(0):
        assert token_from_key(key=key) is not None


def test_logging_out_over_the_api_refuses_the_token_at_once(live_token: tuple[str, Any]) -> None:
    from rest_framework.test import APIClient

    key, _ = live_token
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
