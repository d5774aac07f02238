"""Reads of accounts that other apps and views share."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .choices import VerificationStatus
from .models import ApiToken, BankerProfile, User
from .token_cache import token_cache


def user_with_profile(*, user_id: int) -> User:
    return User.objects.select_related("owner_profile", "banker_profile").get(pk=user_id)


def verified_bankers() -> QuerySet[BankerProfile]:
    """Bankers the public may see: verified and with an active account.

    "Not deactivated" rather than "active" on purpose: PostgreSQL answers NOT EXISTS
    with an anti-join against the few inactive users (a small partial index) instead of
    joining every listed banker to its user, which dominated directory search time."""
    deactivated = User.objects.filter(pk=OuterRef("user_id"), is_active=False)
    return BankerProfile.objects.filter(verification_status=VerificationStatus.VERIFIED).filter(
        ~Exists(deactivated)
    )


def verified_banker_ids(*, user_ids: Collection[int]) -> set[int]:
    """Which of these users are verified, active bankers: the ones who may act on
    applications and talk in conversations."""
    if not user_ids:
        return set()
    return set(verified_bankers().filter(user_id__in=list(user_ids)).values_list("user_id", flat=True))


def banker_is_verified(*, user_id: int) -> bool:
    return bool(verified_banker_ids(user_ids=[user_id]))


def banker_profile_for(*, user: User) -> BankerProfile | None:
    return BankerProfile.objects.filter(user=user).first()


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


def banker_for_application(*, banker_id: int) -> BankerProfile | None:
    """The banker an application is sent to, whatever their verification status,
    so the loans app can say which eligibility rule fails."""
    return (
        BankerProfile.objects.select_related("user").filter(user_id=banker_id, user__is_active=True).first()
    )


def bankers_to_apply_to() -> QuerySet[BankerProfile]:
    """Verified bankers who offer at least one product, for an application form."""
    return (
        verified_bankers()
        .exclude(products=[])
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
