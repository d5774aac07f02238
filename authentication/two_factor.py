"""Two-factor authentication: who needs it, whether a session has passed it,
and checking a typed code.

django-allauth's mfa app stores the factors (`allauth.mfa.models.Authenticator`:
an authenticator app (TOTP), passkeys (WebAuthn) and recovery codes) and owns
their pages; this module is b2bbank's policy on top: staff and the roles in
B2BBANK_2FA_REQUIRED_ROLES must have TOTP or a passkey, and a signed-in session
counts as verified once one of the user's factors was used in it."""

from __future__ import annotations

from typing import Any

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from b2bbank.domain_errors import NotEligible

ENROLLED_SESSION_KEY = "_2fa_enrolled"
# The id of the user whose factor this session has seen; Django flushes the
# session when another user signs in on it, so the flag cannot carry over.
VERIFIED_SESSION_KEY = "_2fa_verified_user"
# Recovery codes do not count: they are the way back in, not a factor of their own.
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class InvalidOtp(NotEligible):
    code = "otp_invalid"


def two_factor_required(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return bool(settings.B2BBANK_2FA_REQUIRED_FOR_STAFF)
    return user.role in settings.B2BBANK_2FA_REQUIRED_ROLES


def two_factor_enabled(user: Any) -> bool:
    """True when the user has an authenticator app or a passkey."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def factors_left_after_removing(authenticator: Authenticator) -> int:
    return (
        Authenticator.objects.filter(user_id=authenticator.user_id, type__in=FACTOR_TYPES)
        .exclude(pk=authenticator.pk)
        .count()
    )


def may_remove(authenticator: Authenticator) -> bool:
    """A user who must have two-factor keeps at least one TOTP or passkey."""
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return True
    return not two_factor_required(authenticator.user) or factors_left_after_removing(authenticator) > 0


def remember_enrolment(session: SessionBase, user: Any) -> None:
    """Cache the enrolment flag in the session so the per-request check costs
    no query; refreshed at login and whenever a factor is added or removed."""
    session[ENROLLED_SESSION_KEY] = two_factor_enabled(user)


def mark_verified(session: SessionBase, user: Any) -> None:
    session[VERIFIED_SESSION_KEY] = user.pk


def session_is_verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and request.session.get(VERIFIED_SESSION_KEY) == user.pk)


def verify_code(*, request: Any, user: Any, code: str, in_session: bool = True) -> bool:
    """Check a code from the authenticator app or a recovery code (which is then
    used up) with allauth's own form: its rate limit (ACCOUNT_RATE_LIMITS
    `login_failed`, per user) slows guessing, and failures are audited
    (`authentication_failed`, authentication.mfa_events). With `in_session` a success
    becomes the session's second factor (`authenticator_used`); the token API
    keeps no session, so it only notes the use."""
    with context.request_context(request):
        form = AuthenticateForm(user=user, data={"code": normalize(code)})
        if not form.is_valid():
            return False
        if in_session:
            form.save()
        else:
            form.authenticator.record_usage()
    return True


def normalize(code: str) -> str:
    # Recovery codes are shown in groups; people type them any way. Codes moved
    # from django-otp are lower-case letters and digits, allauth's are digits.
    return code.strip().replace(" ", "").replace("-", "").lower()
