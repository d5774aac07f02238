"""Every write of sign-in: API bearer tokens (issue and revoke)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import normalize_email
from accounts.signals import user_deactivated
from audit.services import audit_log
from b2bbank.domain_errors import NotEligible

from . import two_factor
from .models import ApiToken
from .signals import api_token_revoked


class InvalidCredentials(NotEligible):
    code = "invalid_credentials"


def token_create(*, request: HttpRequest, email: str, password: str, otp: str = "") -> tuple[str, ApiToken]:
    """Exchange credentials (and a second factor where the user has one, or must)
    for a bearer token. Returns the raw key (shown once) and the stored token.
    The same answer whether the email exists or not."""
    user = authenticate(request, username=normalize_email(email), password=password)
    if user is None or not user.is_active:
        raise InvalidCredentials("Unable to sign in with the email and password provided.")
    if two_factor.two_factor_enabled(user):
        if not otp:
            raise NotEligible(
                "A one-time code (otp) from your authenticator app, or a recovery code, is required.",
                code="otp_required",
            )
        if not two_factor.verify_code(request=request, user=user, code=otp, in_session=False):
            raise two_factor.InvalidOtp("That one-time code is not valid.")
    elif two_factor.two_factor_required(user):
        raise NotEligible(
            "Set up two-factor authentication in the web app before using the API.", code="otp_setup_required"
        )
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=ApiToken.hash_key(key),
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        audit_log(action="auth.token_created", actor=user, target=token)
    return key, token


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_log(action="auth.token_revoked", actor=token.user, target=token)
    api_token_revoked.send(sender=ApiToken, token_id=token.pk, user_id=token.user_id)


@receiver(user_deactivated, dispatch_uid="authentication.revoke_tokens_of_deactivated_user")
def _revoke_tokens_of_deactivated_user(sender: Any, user_id: int, **kwargs: Any) -> None:
    """Inside the deactivating transaction: reactivation must not bring the tokens back."""
    ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
