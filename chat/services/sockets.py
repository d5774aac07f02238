"""Websocket tickets, and closing a user's or a token's sockets."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from authentication.models import ApiToken
from b2bbank.realtime import publish_on_commit, publish_to_group_on_commit

from .. import events
from ..models import RealtimeTicket

TICKET_TTL = timedelta(seconds=30)


@transaction.atomic
def ticket_issue(
    *, user: Any, token: ApiToken | None = None, session_key: str = ""
) -> tuple[str, RealtimeTicket]:
    """A single-use websocket ticket, valid for TICKET_TTL. Returns the raw key
    (shown once) and the stored row; expired tickets are swept here. `token` is
    the API token of the request and `session_key` its browser session: the
    ticket dies with whichever issued it, and revoking a token closes the socket."""
    now = timezone.now()
    RealtimeTicket.objects.filter(expires_at__lt=now - TICKET_TTL).delete()
    key = secrets.token_urlsafe(32)
    ticket = RealtimeTicket.objects.create(
        user=user,
        token=token,
        session_key=session_key if token is None else "",
        key_hash=RealtimeTicket.hash_key(key),
        expires_at=now + TICKET_TTL,
    )
    return key, ticket


def ticket_redeem(*, key: str) -> RealtimeTicket | None:
    """The ticket (with its user) if the key is live and unused and what issued
    it (API token or session) is still live; marks it used in the same UPDATE
    so two sockets can never redeem one ticket."""
    now = timezone.now()
    key_hash = RealtimeTicket.hash_key(key)
    issuer_live = Q(token__isnull=True) | Q(token__revoked_at__isnull=True, token__expires_at__gt=now)
    used = (
        RealtimeTicket.objects.filter(key_hash=key_hash, used_at__isnull=True, expires_at__gt=now)
        .filter(user__is_active=True)
        .filter(issuer_live)
        .update(used_at=now)
    )
    if not used:
        return None
    ticket = RealtimeTicket.objects.select_related("user").get(key_hash=key_hash)
    if ticket.session_key and not import_module(settings.SESSION_ENGINE).SessionStore().exists(
        ticket.session_key
    ):
        return None  # the session that issued it has ended (logout, expiry)
    return ticket


def sockets_close_for(*, user_id: int) -> None:
    """Close every websocket of a user (after logout), once the logout commits."""
    publish_on_commit([user_id], events.session_closed())


def token_group(token_id: int) -> str:
    return f"token.{token_id}"


def sockets_close_for_token(*, token_id: int) -> None:
    """Close the websockets opened with tickets issued under an API token (call
    it when the token is revoked), once the revocation commits. Best-effort like
    every publish: the token is revoked regardless."""
    publish_to_group_on_commit(token_group(token_id), events.session_closed())


def tickets_delete_expired(*, now: datetime | None = None) -> int:
    """Delete websocket tickets past their expiry (used or not); returns how many.
    A periodic job (jobs.tasks) calls it; issuing a ticket also sweeps."""
    return RealtimeTicket.objects.filter(expires_at__lt=now or timezone.now()).delete()[0]
