"""Reads of accounts that other apps and views share."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Exists, OuterRef, QuerySet

from .choices import VerificationStatus
from .models import BankerProfile, User


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
