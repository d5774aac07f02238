"""Logging out closes the user's websockets: a socket must not outlive the
session that opened it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from .services import sockets_close_for


@receiver(user_logged_out, dispatch_uid="chat.close_sockets_on_logout")
def close_sockets_on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and user.pk is not None:
        sockets_close_for(user_id=user.pk)
