from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from accounts import services
from accounts.choices import Product, Role, VerificationStatus
from accounts.models import BankerProfile, BusinessOwnerProfile, User
from accounts.tests.factories import PASSWORD
from authentication import services as auth_services
from authentication.models import ApiToken
from notifications.models import Notification

pytestmark = pytest.mark.django_db

OWNER_PROFILE = {"company_name": "Acme Tools", "industry": "manufacturing", "years_in_business": 4}
BANKER_PROFILE = {
    "institution": "Harbor Bank",
    "products": [Product.TERM_LOAN],
    "min_loan_amount": Decimal("25000.00"),
}


def signup_owner(email: str = "New.Owner@Example.com", password: str = PASSWORD) -> User:
    return services.business_owner_signup(
        email=email, password=password, first_name="Nia", last_name="Owner", profile=OWNER_PROFILE
    )


def test_owner_signup_creates_user_and_profile_with_lowercased_email() -> None:
    user = signup_owner()
    assert user.email == "new.owner@example.com"
    assert user.role == Role.BUSINESS_OWNER
    assert user.check_password(PASSWORD)
    assert BusinessOwnerProfile.objects.get(user=user).company_name == "Acme Tools"


def test_banker_signup_starts_pending() -> None:
    user = services.banker_signup(
        email="b@example.com", password=PASSWORD, first_name="B", last_name="K", profile=BANKER_PROFILE
    )
    assert user.role == Role.BANKER
    assert user.banker_profile.verification_status == VerificationStatus.PENDING


@pytest.mark.parametrize("variant", ["dup@example.com", "DUP@EXAMPLE.COM", " Dup@Example.com "])
def test_signup_with_a_taken_email_creates_nothing_and_tells_its_owner(variant: str) -> None:
    existing = signup_owner("dup@example.com")
    assert signup_owner(variant) is None
    assert User.objects.count() == 1
    kinds = list(Notification.objects.filter(recipient=existing).values_list("kind", flat=True))
    assert sorted(kinds) == ["account.created", "account.signup_attempt"]


def test_signup_with_a_taken_email_still_refuses_a_weak_password_first() -> None:
    signup_owner("dup@example.com")
    with pytest.raises(ValidationError) as exc:
        signup_owner("dup@example.com", password="short")
    assert "password" in exc.value.message_dict
    assert Notification.objects.filter(kind="account.signup_attempt").count() == 0


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "Nia-Owner"])
def test_signup_refuses_weak_password_and_creates_nothing(password: str) -> None:
    with pytest.raises(ValidationError) as exc:
        signup_owner(password=password)
    assert "password" in exc.value.message_dict
    assert not User.objects.exists()


def test_banker_signup_refuses_max_below_min_and_creates_nothing() -> None:
    with pytest.raises(ValidationError):
        services.banker_signup(
            email="b@example.com",
            password=PASSWORD,
            first_name="B",
            last_name="K",
            profile={**BANKER_PROFILE, "max_loan_amount": Decimal("1000.00")},
        )
    assert not User.objects.exists()
    assert not BankerProfile.objects.exists()


def test_banker_signup_refuses_unknown_product() -> None:
    with pytest.raises(ValidationError):
        services.banker_signup(
            email="b@example.com",
            password=PASSWORD,
            first_name="B",
            last_name="K",
            profile={**BANKER_PROFILE, "products": ["payday_loan"]},
        )
    assert not User.objects.exists()


def test_signup_refuses_fields_outside_the_profile() -> None:
    with pytest.raises(ValueError, match="verification_status"):
        services.banker_signup(
            email="b@example.com",
            password=PASSWORD,
            first_name="B",
            last_name="K",
            profile={**BANKER_PROFILE, "verification_status": "verified"},
        )


def test_profile_update_changes_banker_fields(banker_x: User) -> None:
    services.profile_update(
        user=banker_x,
        user_fields={"first_name": "Xavier"},
        profile_fields={"availability": "busy", "max_loan_amount": Decimal("900000.00")},
    )
    banker_x.refresh_from_db()
    profile = BankerProfile.objects.get(user=banker_x)
    assert banker_x.first_name == "Xavier"
    assert profile.availability == "busy"
    assert profile.max_loan_amount == Decimal("900000.00")


def test_profile_update_refuses_banker_field_for_owner(owner_a: User) -> None:
    with pytest.raises(ValueError, match="min_loan_amount"):
        services.profile_update(user=owner_a, user_fields={}, profile_fields={"min_loan_amount": 1})


def test_profile_update_refuses_invalid_amounts_and_keeps_old_values(banker_x: User) -> None:
    with pytest.raises(ValidationError):
        services.profile_update(
            user=banker_x, user_fields={}, profile_fields={"max_loan_amount": Decimal("10.00")}
        )
    assert BankerProfile.objects.get(user=banker_x).max_loan_amount == Decimal("2000000.00")


def test_banker_set_verification_records_time(pending_banker: User) -> None:
    profile = services.banker_set_verification(
        banker_id=pending_banker.pk, status=VerificationStatus.VERIFIED
    )
    assert profile.verification_status == VerificationStatus.VERIFIED
    assert profile.verified_at is not None
    rejected = services.banker_set_verification(
        banker_id=pending_banker.pk, status=VerificationStatus.REJECTED
    )
    assert rejected.verified_at is None


def test_token_create_stores_only_a_hash(owner_a: User) -> None:
    key, token = auth_services.token_create(
        request=RequestFactory().post("/api/v1/auth/token/"), email="OWNER.A@example.com", password=PASSWORD
    )
    assert token.user == owner_a
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash
    assert token.expires_at > timezone.now() + timedelta(hours=11)


@pytest.mark.parametrize(
    ("email", "password"),
    [("owner.a@example.com", "wrong-password-1"), ("nobody@example.com", PASSWORD)],
)
def test_token_create_refuses_bad_credentials_the_same_way(owner_a: User, email: str, password: str) -> None:
    with pytest.raises(auth_services.InvalidCredentials) as exc:
        auth_services.token_create(
            request=RequestFactory().post("/api/v1/auth/token/"), email=email, password=password
        )
    assert "Unable to sign in" in exc.value.detail
    assert not ApiToken.objects.exists()


def test_token_create_refuses_inactive_user(owner_a: User) -> None:
    owner_a.is_active = False
    owner_a.save()
    with pytest.raises(auth_services.InvalidCredentials):
        auth_services.token_create(
            request=RequestFactory().post("/api/v1/auth/token/"), email=owner_a.email, password=PASSWORD
        )


def test_token_revoke_marks_token(owner_a: User) -> None:
    _, token = auth_services.token_create(
        request=RequestFactory().post("/api/v1/auth/token/"), email=owner_a.email, password=PASSWORD
    )
    auth_services.token_revoke(token=token)
    assert not ApiToken.objects.live().filter(pk=token.pk).exists()


def test_user_deactivate_revokes_tokens_and_is_audited(owner_a: User, staff: User) -> None:
    from audit.models import AuditRecord

    _, token = auth_services.token_create(
        request=RequestFactory().post("/"), email=owner_a.email, password=PASSWORD
    )
    services.user_deactivate(user_id=owner_a.pk, actor=staff)
    owner_a.refresh_from_db()
    assert not owner_a.is_active
    assert not ApiToken.objects.live().filter(pk=token.pk).exists()
    record = AuditRecord.objects.get(action="auth.user_deactivated")
    assert (record.actor_id, record.before, record.after) == (
        staff.pk,
        {"is_active": True},
        {"is_active": False},
    )
