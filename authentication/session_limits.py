"""Session lifetime: 30 minutes idle, 12 hours in all, whatever the cookie says.

Django's own expiry is one sliding window (SESSION_COOKIE_AGE); a bank needs both
an idle limit and an absolute one. The last-seen stamp is written at most once a
minute so a busy page does not rewrite its session row on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

STARTED = "_session_started"
LAST_SEEN = "_session_last_seen"
WRITE_EVERY = 60
# What the sign-in page says after an expiry; static/js/drafts.js keeps what was typed.
SESSION_EXPIRED = (
    "Your session expired; nothing was lost. Sign in again and you will be back where you were, "
    "with what you typed."
)


def stamp_new_session(session: SessionBase) -> None:
    """Start both clocks at login, so the first requests need not write the session."""
    now = time.time()
    session[STARTED] = now
    session[LAST_SEEN] = now


def session_expires_at(session: SessionBase | Mapping[str, Any], now: float) -> float:
    """When the session ends unless it is used again (epoch seconds): the
    earlier of the idle and the absolute limit."""
    started = session.get(STARTED, now)
    last_seen = session.get(LAST_SEEN, now)
    return min(
        last_seen + settings.SESSION_IDLE_TIMEOUT.total_seconds(),
        started + settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds(),
    )


def session_recheck(session_key: str, *, active_at: float | None = None) -> float | None:
    """For a websocket opened with this session: reload it from the store, count
    `active_at` (the socket's last frame from the user, epoch seconds) as use of
    the session, and return when it expires; None when it is gone (logged out)
    or already expired. Writes the session only when the activity is news."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if not store.get(SESSION_KEY):
        return None
    now = time.time()
    expires_at = session_expires_at(store, now)
    # Activity counts only if it came while the session was still alive.
    if active_at is not None and store.get(LAST_SEEN, 0) < active_at <= expires_at:
        store[LAST_SEEN] = min(active_at, now)
        store.save()
        expires_at = session_expires_at(store, now)
    return expires_at if expires_at > now else None


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.session_key:
            now = time.time()
            session = request.session
            session.setdefault(STARTED, now)
            if session_expires_at(session, now) < now:
                logout(request)
                messages.info(request, SESSION_EXPIRED)
            elif now - session.get(LAST_SEEN, now) > WRITE_EVERY or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)
