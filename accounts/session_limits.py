"""Session lifetime: 30 minutes idle, 12 hours in all, whatever the cookie says.

Django's own expiry is one sliding window (SESSION_COOKIE_AGE); a bank needs both
an idle limit and an absolute one. The last-seen stamp is written at most once a
minute so a busy page does not rewrite its session row on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

STARTED = "_session_started"
LAST_SEEN = "_session_last_seen"
WRITE_EVERY = 60


def stamp_new_session(session: SessionBase) -> None:
    """Start both clocks at login, so the first requests need not write the session."""
    now = time.time()
    session[STARTED] = now
    session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.session_key:
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle or now - started > absolute:
                logout(request)
                messages.info(request, "Your session expired. Please log in again.")
            elif now - last_seen > WRITE_EVERY or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)
