"""Reads for sign-in: the bearer-token lookup every API request makes."""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.utils import timezone

from accounts.models import User

from .models import ApiToken
from .token_cache import token_cache


@cache
def _token_sql() -> tuple[str, list[str], list[str]]:
    """The bearer-token lookup, compiled once. It runs on every API request; the
    ORM spent more time building this query each time than PostgreSQL spent
    answering it (docs/performance.md, "Directory search")."""
    quote = connection.ops.quote_name
    user_fields = [f.attname for f in User._meta.concrete_fields]
    token_fields = [f.attname for f in ApiToken._meta.concrete_fields]
    user_columns = [f"u.{quote(f.column)}" for f in User._meta.concrete_fields]
    token_columns = [f"t.{quote(f.column)}" for f in ApiToken._meta.concrete_fields]
    sql = (
        f"SELECT {', '.join(user_columns + token_columns)} "  # noqa: S608 - model metadata only
        f"FROM {quote(ApiToken._meta.db_table)} t JOIN {quote(User._meta.db_table)} u "
        f"ON u.{quote(User._meta.pk.column)} = t.{quote(ApiToken.user.field.column)} "
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s AND u.is_active"
    )
    return sql, user_fields, token_fields


def token_from_key(*, key: str) -> ApiToken | None:
    """The live token with this key, its (active) user loaded; None otherwise.
    Same rules as `ApiToken.objects.live()` with `user__is_active`. A token this
    process read recently comes from `token_cache`, which PostgreSQL tells of
    every change to users and tokens as it commits."""
    sql, user_fields, token_fields = _token_sql()
    key_hash = ApiToken.hash_key(key)
    now = timezone.now()
    row = token_cache.row(key_hash, now=now)
    if row is None:
        generation = token_cache.generation()
        with connection.cursor() as cursor:
            cursor.execute(sql, [key_hash, now])
            row = cursor.fetchone()
        if row is None:
            return None
        token_cache.remember(
            key_hash,
            user_id=row[user_fields.index("id")],
            row=row,
            expires_at=row[len(user_fields) + token_fields.index("expires_at")],
            generation=generation,
        )
    # New instances every time: a request may change its user, the next must not see it.
    user = User.from_db(connection.alias, user_fields, row[: len(user_fields)])
    token = ApiToken.from_db(connection.alias, token_fields, row[len(user_fields) :])
    token.user = user
    return token
