"""The bearer-token lookup (hand-compiled SQL, accounts.selectors) loads the same
objects the ORM would, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from accounts.models import User
from accounts.tests.factories import PASSWORD
from authentication import services
from authentication.models import ApiToken
from authentication.selectors import token_from_key

pytestmark = pytest.mark.django_db


def test_one_query_loads_token_and_user(owner_a: Any, django_assert_num_queries: Any) -> None:
    key, _ = services.token_create(request=RequestFactory().post("/"), email=owner_a.email, password=PASSWORD)
    with django_assert_num_queries(1):
        token = token_from_key(key=key)
        assert token is not None
        user = token.user
        assert (user.email, user.role, user.is_active) == (owner_a.email, owner_a.role, True)
    assert token == ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    owner_a.refresh_from_db()
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(user, name) for name in fields] == [getattr(owner_a, name) for name in fields]
    assert not token._state.adding
    assert not user._state.adding


def test_unknown_revoked_expired_or_inactive_is_none(owner_a: Any) -> None:
    key, token = services.token_create(
        request=RequestFactory().post("/"), email=owner_a.email, password=PASSWORD
    )
    assert token_from_key(key=key + "x") is None
    User.objects.filter(pk=owner_a.pk).update(is_active=False)
    assert token_from_key(key=key) is None
    User.objects.filter(pk=owner_a.pk).update(is_active=True)
    assert token_from_key(key=key) is not None
    services.token_revoke(token=token)
    assert token_from_key(key=key) is None


def test_the_lookup_is_prepared_on_the_server_once_it_repeats(owner_a: Any, settings: Any) -> None:
    """Settings bind parameters on the server and prepare repeated statements
    (DJANGO_DB_PREPARE_THRESHOLD), so the lookup on every API call is planned once
    per connection instead of each time."""
    from django.db import connection

    settings.B2BBANK_TOKEN_CACHE_SECONDS = 0  # every lookup reaches the database
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    assert settings.DATABASES["default"]["OPTIONS"]["server_side_binding"] is True
    key, _ = services.token_create(request=RequestFactory().post("/"), email=owner_a.email, password=PASSWORD)

    def prepared_lookups() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%t.key_hash = $1%"]
            )
            return int(cursor.fetchone()[0])

    assert prepared_lookups() == 0
    for _ in range(threshold + 1):
        assert token_from_key(key=key) is not None
    assert prepared_lookups() == 1
    assert token_from_key(key=key + "x") is None  # the prepared statement still answers by its parameters
