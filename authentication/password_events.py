"""A password changed or reset on allauth's pages gets the same housekeeping as
one through the API (authentication.recovery.credentials_changed): other sessions, API
tokens and websockets end, a lockout lifts, an audit row is written."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset
from django.dispatch import receiver

from .recovery import credentials_changed


@receiver(password_changed, dispatch_uid="accounts.password_changed_on_page")
def _changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    credentials_changed(user=user, request=request, how="change")


@receiver(password_reset, dispatch_uid="accounts.password_reset_on_page")
def _reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    credentials_changed(user=user, request=request, how="reset")
