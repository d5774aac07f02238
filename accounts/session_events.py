"""Session bookkeeping at sign-in (every session login path sends user_logged_in)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .two_factor import remember_enrolment


@receiver(user_logged_in, dispatch_uid="accounts_remember_2fa_enrolment")
def _remember_enrolment(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember_enrolment(request.session, user)
