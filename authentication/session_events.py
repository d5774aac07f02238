"""Session bookkeeping at sign-in (every session login path sends user_logged_in)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .session_limits import stamp_new_session
from .two_factor import remember_enrolment


@receiver(user_logged_in, dispatch_uid="accounts_session_at_login")
def _prepare_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_new_session(request.session)
        remember_enrolment(request.session, user)
