"""Sign-ins, failed sign-ins and sign-outs go to the audit trail.

Django announces these through its auth signals (page login, API token, admin
login all call authenticate()/login()), so listening here covers every path."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import audit_log


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(action="auth.login", actor=user, target=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_log(action="auth.logout", actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the identifier: Django masks the password, and we never store it anyway.
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit_log(action="auth.login_failed", actor_email=email.lower())
