"""allauth.mfa's signals, turned into b2bbank's session state and audit trail.

Whichever page used a factor (the sign-in step, a passkey sign-in, allauth's
reauthentication, adding a factor which proves possession of it), the session
becomes verified for the second factor, and the change is audited."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals
from allauth.mfa.models import Authenticator
from django.dispatch import receiver

from audit.services import audit_log

from . import two_factor


def _session_of(request: Any) -> Any:
    return getattr(request, "session", None) if request is not None else None


def _refresh(request: Any, user: Any, *, verified: bool) -> None:
    session = _session_of(request)
    if session is None or request.path.startswith("/api/"):
        return  # the token API keeps no session state
    if verified:
        two_factor.mark_verified(session, user)
    two_factor.remember_enrolment(session, user)


@receiver(signals.authenticator_used, dispatch_uid="accounts_mfa_used")
def _used(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    _refresh(request, user, verified=True)


@receiver(signals.authenticator_added, dispatch_uid="accounts_mfa_added")
def _added(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    audit_log(action="auth.2fa_enabled", actor=user, target=user, after={"type": authenticator.type})
    _refresh(request, user, verified=authenticator.type != Authenticator.Type.RECOVERY_CODES)


@receiver(signals.authenticator_removed, dispatch_uid="accounts_mfa_removed")
def _removed(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    audit_log(action="auth.2fa_disabled", actor=user, target=user, before={"type": authenticator.type})
    _refresh(request, user, verified=False)


@receiver(signals.authenticator_reset, dispatch_uid="accounts_mfa_reset")
def _reset(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    audit_log(action="auth.2fa_recovery_codes", actor=user, target=user)


@receiver(signals.authentication_failed, dispatch_uid="accounts_mfa_failed")
def _failed(sender: Any, request: Any, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    audit_log(action="auth.2fa_failed", actor=user, target=user, after={"type": authenticator.type})
