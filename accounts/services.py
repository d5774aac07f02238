"""Every write to accounts: sign-up, profile edits, verification, deactivation."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_log
from b2bbank.domain_errors import NotEligible
from notifications.services import email_preferences_set, notification_create

from . import signals
from .choices import Role, VerificationStatus
from .models import (
    BANKER_PROFILE_FIELDS,
    OWNER_PROFILE_FIELDS,
    USER_PROFILE_FIELDS,
    BankerEvidence,
    BankerProfile,
    BusinessOwnerProfile,
    TermsConsent,
    User,
    normalize_email,
)
from .time_zones import DEFAULT as DEFAULT_ZONE

USER_EDITABLE_FIELDS = frozenset(USER_PROFILE_FIELDS)
# What every sign-up hears, whether or not the address already had an account.
SIGNUP_DONE = (
    "Thank you. We have sent a message to this address: open the link in it to confirm the address. "
    "Sign in with your email address and password to continue; if the address already had an account, "
    "its owner has been told."
)


def _only(fields: Mapping[str, Any], allowed: Collection[str]) -> dict[str, Any]:
    unknown = set(fields).difference(allowed)
    if unknown:
        # Callers pass parsed input; an unknown key is a programming error, not user input.
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    return dict(fields)


def _new_user(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: Role,
    welcome: bool = True,
    terms_accepted: bool = False,
    time_zone: str = DEFAULT_ZONE,
) -> User | None:
    """Create the user, or None when the address already has an account: its
    owner is told by email instead, and the caller answers exactly as for a new
    account (ASVS 6.3.8). Every check that can refuse the input runs first and
    the password is hashed either way, so neither the answer nor its timing
    says whether the address was taken."""
    email = normalize_email(email)
    user = User(email=email, first_name=first_name, last_name=last_name, role=role, time_zone=time_zone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            # A savepoint so a racing duplicate is handled like any taken address.
            with transaction.atomic():
                user.save()
        except IntegrityError:
            existing = User.objects.filter(email__iexact=email).first()
        else:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
            if terms_accepted:
                TermsConsent.objects.create(
                    user=user,
                    terms_version=settings.B2BBANK_TERMS_VERSION,
                    privacy_version=settings.B2BBANK_PRIVACY_VERSION,
                )
            if welcome:
                _welcome(user)
            return user
    if existing is not None:
        _tell_the_address_owner(existing)
    return None


def _welcome(user: User) -> None:
    """The welcome email is the address confirmation (allauth's signup message,
    one link, sent by the authentication app on `account_created`); the in-app
    note points to the page that can send it again."""
    notification_create(
        recipient=user,
        kind="account.created",
        title="Welcome to b2bbank",
        body=(
            "Your account is ready. Confirm your email address with the link we sent you: until then "
            "you can look around, but not submit an application or start a conversation."
        ),
        link=reverse("authentication:email-status"),
        email=False,
    )
    signals.account_created.send(sender=User, user=user)


def _tell_the_address_owner(user: User) -> None:
    notification_create(
        recipient=user,
        kind="account.signup_attempt",
        title="Someone tried to create a b2bbank account with your email address",
        body=(
            "You already have a b2bbank account, so no new account was created. If this was you, "
            "sign in with your existing password. If it was not, you can ignore this message: "
            "nothing on your account has changed."
        ),
        link=reverse("authentication:login"),
    )


@transaction.atomic
def business_owner_signup(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    profile: Mapping[str, Any],
    welcome: bool = True,
    terms_accepted: bool = False,
    time_zone: str = DEFAULT_ZONE,
) -> User | None:
    """Create a business owner with their company profile. None when the
    address already had an account (its owner was emailed; see _new_user)."""
    owner = BusinessOwnerProfile(**_only(profile, OWNER_PROFILE_FIELDS))
    owner.full_clean(exclude=["user"])
    user = _new_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        role=Role.BUSINESS_OWNER,
        welcome=welcome,
        terms_accepted=terms_accepted,
        time_zone=time_zone,
    )
    if user is not None:
        owner.user = user
        owner.save()
    return user


@transaction.atomic
def banker_signup(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    profile: Mapping[str, Any],
    welcome: bool = True,
    terms_accepted: bool = False,
    time_zone: str = DEFAULT_ZONE,
) -> User | None:
    """Create a banker; the profile starts `pending` until an admin verifies it.
    None when the address already had an account (see _new_user)."""
    display_name = User(first_name=first_name, last_name=last_name).get_full_name()
    banker = BankerProfile(display_name=display_name, **_only(profile, BANKER_PROFILE_FIELDS))
    banker.full_clean(exclude=["user"])
    user = _new_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        role=Role.BANKER,
        welcome=welcome,
        terms_accepted=terms_accepted,
        time_zone=time_zone,
    )
    if user is not None:
        banker.user = user
        banker.save()
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    user_fields: Mapping[str, Any],
    profile_fields: Mapping[str, Any],
    email_preferences: Mapping[str, bool] | None = None,
) -> User:
    """Edit a user's own names, role profile and which notifications they want
    by email. Only the fields of the user's role are accepted; verification and
    role never change here."""
    if email_preferences:
        email_preferences_set(user=user, preferences=email_preferences)
    for name, value in _only(user_fields, USER_EDITABLE_FIELDS).items():
        setattr(user, name, value)
    if user_fields:
        user.full_clean(exclude=["password"], validate_constraints=False)
        user.save(update_fields=[*user_fields])
        if user.is_banker:
            banker_sync_display_name(user=user)
    if profile_fields:
        profile: BankerProfile | BusinessOwnerProfile
        allowed: tuple[str, ...]
        if user.is_banker:
            profile = BankerProfile.objects.select_for_update().get(user=user)
            allowed = BANKER_PROFILE_FIELDS
        elif user.is_business_owner:
            profile = BusinessOwnerProfile.objects.select_for_update().get(user=user)
            allowed = OWNER_PROFILE_FIELDS
        else:
            raise NotEligible("Only business owners and bankers have a profile.")
        for name, value in _only(profile_fields, allowed).items():
            setattr(profile, name, value)
        profile.full_clean()
        profile.save()
    return user


def banker_sync_display_name(*, user: User) -> None:
    """Copy a banker's name onto their profile, where the profile page reads it
    (the directory's listing table takes it from the user row itself).
    Call after any change to a banker's first or last name."""
    BankerProfile.objects.filter(user=user).update(display_name=user.get_full_name())
    signals.banker_listing_changed.send(sender=BankerProfile, user_id=user.pk)  # update() sends no post_save


@transaction.atomic
def banker_set_verification(
    *, banker_id: int, status: VerificationStatus, actor: Any = None, reason: str = ""
) -> BankerProfile:
    """Verify or reject a banker (admins only; callers check that). Audited with
    the reason, kept on the banker's evidence, and the banker is told in-app and
    by email. Taking a verification away announces it, so the banker's open
    applications go back to their owners and their conversations become read-only."""
    profile = BankerProfile.objects.select_for_update().select_related("user").get(user_id=banker_id)
    before = profile.verification_status
    profile.verification_status = status
    profile.verified_at = timezone.now() if status == VerificationStatus.VERIFIED else None
    profile.save(update_fields=["verification_status", "verified_at", "updated_at"])
    BankerEvidence.objects.filter(user_id=banker_id).update(decision_reason=reason.strip())
    audit_log(
        action="banker.verification",
        actor=actor,
        target=profile,
        before={"verification_status": before},
        after={"verification_status": status, **({"reason": reason.strip()} if reason.strip() else {})},
    )
    if before != status and status in (VerificationStatus.VERIFIED, VerificationStatus.REJECTED):
        _tell_banker_the_decision(profile.user, status, reason.strip())
    if before == VerificationStatus.VERIFIED and status != VerificationStatus.VERIFIED:
        signals.banker_verification_revoked.send(sender=BankerProfile, banker_id=banker_id, actor=actor)
    return profile


def _tell_banker_the_decision(user: User, status: VerificationStatus, reason: str) -> None:
    if status == VerificationStatus.VERIFIED:
        title = "Your banker profile is verified"
        body = "Business owners can now find you in the directory, apply to you and message you."
    else:
        title = "Your banker verification was not approved"
        body = (f"Reason: {reason} " if reason else "") + (
            "Your profile is not listed. Correct your details and send your evidence again from your dashboard."
        )
    notification_create(
        recipient=user,
        kind="banker.verification",
        title=title,
        body=body,
        link=reverse("accounts:banker-home"),
    )


@transaction.atomic
def user_deactivate(*, user_id: int, actor: Any = None) -> User:
    """Switch an account off: no new sign-in, and every session, API token and
    websocket it has ends now (sessions and tokens are refused for inactive users;
    authentication.token_events also revokes the tokens, on `user_deactivated`,
    so reactivation does not bring them back)."""
    user = User.objects.select_for_update().get(pk=user_id)
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_log(
        action="auth.user_deactivated",
        actor=actor,
        target=user,
        before={"is_active": was_active},
        after={"is_active": False},
    )
    signals.user_deactivated.send(sender=User, user_id=user_id)
    return user
