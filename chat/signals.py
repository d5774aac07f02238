"""Logging out closes the user's websockets: a socket must not outlive the
session that opened it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from accounts.signals import user_deactivated
from authentication.signals import api_token_revoked, credentials_changed

from .services import sockets_close_for, sockets_close_for_token


@receiver(user_logged_out, dispatch_uid="chat.close_sockets_on_logout")
def close_sockets_on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and user.pk is not None:
        sockets_close_for(user_id=user.pk)


@receiver(user_deactivated, dispatch_uid="chat.close_sockets_on_deactivation")
def close_sockets_on_deactivation(sender: Any, user_id: int, **kwargs: Any) -> None:
    sockets_close_for(user_id=user_id)


@receiver(api_token_revoked, dispatch_uid="chat.close_sockets_on_token_revocation")
def close_sockets_on_token_revocation(sender: Any, token_id: int, **kwargs: Any) -> None:
    sockets_close_for_token(token_id=token_id)


@receiver(credentials_changed, dispatch_uid="chat.close_sockets_on_new_password")
def close_sockets_on_new_password(sender: Any, user_id: int, **kwargs: Any) -> None:
    # Sockets signed in by other sessions would otherwise outlive them.
    sockets_close_for(user_id=user_id)
