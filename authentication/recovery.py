"""Password reset and change, email verification: the services behind the API
(DESIGN.md, Accounts) and the housekeeping after any password change.

The flows themselves are django-allauth's, used through its public forms and
models (ResetPasswordForm, ResetPasswordKeyForm, UserTokenForm, ChangePasswordForm,
EmailAddress, EmailConfirmationHMAC); its pages call the same housekeeping
through allauth's signals (authentication.password_events)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import ChangePasswordForm, ResetPasswordForm, ResetPasswordKeyForm, UserTokenForm
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from axes.utils import reset as axes_reset
from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User
from accounts.signals import account_created
from audit.services import audit_log
from b2bbank.domain_errors import NotEligible

from . import signals
from .models import ApiToken

RESET_KEY_INVALID = (
    "This password reset link is invalid, has expired (links work for one hour) or has already "
    "been used. Ask for a new one."
)
VERIFY_KEY_INVALID = (
    "This confirmation link is invalid, has expired or has already been used. Sign in and ask for a new one."
)


def _form_errors(form: Any, names: dict[str, str]) -> ValidationError:
    """allauth's form errors under the API's field names."""
    errors: dict[str, list[str]] = {}
    for field, messages in form.errors.items():
        errors.setdefault(names.get(field, "non_field_errors"), []).extend(messages)
    return ValidationError(errors)


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Email a single-use, one-hour reset link when the address has an active
    account; otherwise email the address that it has none. The caller answers
    the same either way (ACCOUNT_PREVENT_ENUMERATION)."""
    form = ResetPasswordForm(data={"email": email})
    if form.is_valid():
        form.save(request)


def _user_from_reset_key(key: str) -> tuple[User, str]:
    uidb36, _, token = key.partition("-")
    token_form = UserTokenForm(data={"uidb36": uidb36, "key": token})
    user = token_form.reset_user if token_form.is_valid() else None
    if user is None or not user.is_active:
        raise NotEligible(RESET_KEY_INVALID, code="reset_key_invalid")
    return user, token  # type: ignore[return-value]


@transaction.atomic
def password_reset_confirm(*, request: HttpRequest, key: str, new_password: str) -> User:
    """Set a new password with the key from a reset email (the link's last path
    segment). The key stops working once used: it hashes the old password."""
    user, token = _user_from_reset_key(key)
    form = ResetPasswordKeyForm(
        data={"password1": new_password, "password2": new_password}, user=user, temp_key=token
    )
    if not form.is_valid():
        raise _form_errors(form, {"password1": "new_password", "password2": "new_password"})
    form.save()
    credentials_changed(user=user, request=request, how="reset")
    get_adapter(request).send_notification_mail("account/email/password_reset", user)
    return user


@transaction.atomic
def password_change(*, request: HttpRequest, user: User, current_password: str, new_password: str) -> None:
    """Change a signed-in user's password; the current one is required. This
    session (or API token) stays; every other one ends."""
    form = ChangePasswordForm(
        user=user,
        data={"oldpassword": current_password, "password1": new_password, "password2": new_password},
    )
    if not form.is_valid():
        raise _form_errors(
            form,
            {"oldpassword": "current_password", "password1": "new_password", "password2": "new_password"},
        )
    form.save()
    credentials_changed(user=user, request=request, how="change")
    get_adapter(request).send_notification_mail("account/email/password_changed", user)


@transaction.atomic
def credentials_changed(*, user: User, request: HttpRequest | None, how: str) -> None:
    """After any new password: end every other session, API token and websocket
    of the user, lift a sign-in lockout, and audit it. The request's own session
    (Django's session hash) or API token keeps working."""
    from .services import token_revoke

    keep_token = getattr(request, "auth", None)
    tokens = ApiToken.objects.live().filter(user_id=user.pk).select_related("user")
    if isinstance(keep_token, ApiToken):
        tokens = tokens.exclude(pk=keep_token.pk)
    for token in tokens:
        token_revoke(token=token)
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) == str(user.pk):
        # Every other session of the user fails Django's password-hash check from now on.
        update_session_auth_hash(request, user)  # type: ignore[arg-type]
    signals.credentials_changed.send(sender=User, user_id=user.pk)
    axes_reset(username=user.email)
    audit_log(action=f"auth.password_{how}", actor=user, target=user)


def primary_address(user: User) -> EmailAddress:
    """The user's sign-in address as allauth knows it (created for accounts
    that predate verification)."""
    address = EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return address


def email_verification_send(*, request: HttpRequest | None, user: User, signup: bool = False) -> None:
    """Send the confirmation link for the user's address (after commit); nothing
    when it is already confirmed."""
    address = primary_address(user)
    if not address.verified:
        address.send_confirmation(request, signup=signup)


@transaction.atomic
def email_verify(*, request: HttpRequest, key: str) -> EmailAddress:
    """Confirm an address with the key from its email (the link's last path segment)."""
    confirmation = EmailConfirmationHMAC.from_key(key)
    address = confirmation.confirm(request) if confirmation is not None else None
    if address is None:
        raise NotEligible(VERIFY_KEY_INVALID, code="verification_key_invalid")
    audit_log(action="auth.email_verified", actor=address.user, target=address.user)
    return address


@receiver(account_created, dispatch_uid="authentication.confirm_new_address")
def _confirm_new_address(sender: Any, user: User, **kwargs: Any) -> None:
    """A new account's welcome is the address confirmation (allauth's signup message)."""
    email_verification_send(request=None, user=user, signup=True)
