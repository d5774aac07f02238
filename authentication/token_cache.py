"""Live API tokens remembered per process, so that an API request whose answer is
already cached (a repeated directory search) needs no database round trip just to
authenticate. See docs/performance.md for what it saves and docs/security.md for
the revocation guarantee.

PostgreSQL stays the only source of truth. Triggers on `accounts_user` and
`accounts_apitoken` (migration 0004) NOTIFY the ids of the users whose rows or
tokens changed, from inside the writing transaction, so the notice goes out
exactly when the change commits, whichever path wrote it: services, Django admin,
a bulk `update()`, plain SQL. Every process keeps one listening connection and
forgets those users' tokens when the notice arrives, a millisecond or so after
the commit.

The cache is trusted only while its listener is proven live. Every BEAT_SECONDS
the listener notifies itself; PostgreSQL delivers notices in commit order, so
hearing its own beat proves it has heard every change committed before that beat
was sent. A lookup uses a remembered token only if the newest beat heard was sent
less than TRUST_SECONDS ago. Otherwise (listener not started yet, connection lost,
PostgreSQL unreachable, thread starved) every request reads the database, as it
does with the cache switched off (`B2BBANK_TOKEN_CACHE_SECONDS=0`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

CHANNEL = "accounts_auth_changed"
FORGET_ALL = "*"
BEAT_PREFIX = "beat:"
BEAT_SECONDS = 0.5
TRUST_SECONDS = 1.5
MAX_ENTRIES = 10_000
# A connection that dies without a word (a partition) is noticed by the trust
# window at once and by TCP within about 10 s, after which the listener reconnects.
LISTENER_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3}


def listener_settings(settings_dict: dict[str, Any]) -> dict[str, Any]:
    """The database settings for the listener: a connection of its own, never one
    from psycopg's pool (LISTEN would stay on it for whoever takes it next)."""
    options = {name: value for name, value in settings_dict.get("OPTIONS", {}).items() if name != "pool"}
    return {**settings_dict, "OPTIONS": {**options, **LISTENER_KEEPALIVES}}


class TokenCache:
    """key hash -> the row `accounts.selectors.token_from_key` read for it."""

    def __init__(self, *, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        """Start empty and untrusted; in a forked worker too, whose parent's
        listener thread did not come along."""
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, tuple[Any, ...], datetime, float]] = {}
        self._keys_by_user: dict[int, set[str]] = {}
        # Bumped by every forgetting, so a row read before a change is never stored after it.
        self._generation = 0
        self._heard_beat_sent_at = float("-inf")
        self._listener: threading.Thread | None = None
        self._stopping = threading.Event()

    @staticmethod
    def seconds() -> int:
        return int(settings.B2BBANK_TOKEN_CACHE_SECONDS)

    def trusted(self) -> bool:
        return time.monotonic() - self._heard_beat_sent_at < TRUST_SECONDS

    # -- the request path -------------------------------------------------------

    def row(self, key_hash: str, *, now: datetime) -> tuple[Any, ...] | None:
        """The remembered row for a live token, or None: read the database."""
        if self.seconds() <= 0:
            return None
        self._ensure_listener()
        entry = self._entries.get(key_hash)
        if entry is None or not self.trusted():
            return None
        _, row, expires_at, remembered_until = entry
        if expires_at <= now or time.monotonic() >= remembered_until:
            return None
        return row

    def generation(self) -> int | None:
        """Take before reading the database; None when what is read must not be kept."""
        if self.seconds() <= 0 or not self.trusted():
            return None
        return self._generation

    def remember(
        self,
        key_hash: str,
        *,
        user_id: int,
        row: tuple[Any, ...],
        expires_at: datetime,
        generation: int | None,
    ) -> None:
        if generation is None:
            return
        with self._lock:
            if generation != self._generation or not self.trusted():
                return  # something changed (or the listener dropped) while the row was being read
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
                self._keys_by_user.clear()
            self._entries[key_hash] = (user_id, row, expires_at, time.monotonic() + self.seconds())
            self._keys_by_user.setdefault(user_id, set()).add(key_hash)

    # -- forgetting -------------------------------------------------------------

    def forget_users(self, user_ids: Iterable[int]) -> None:
        with self._lock:
            self._generation += 1
            for user_id in user_ids:
                for key_hash in self._keys_by_user.pop(user_id, ()):
                    self._entries.pop(key_hash, None)

    def forget_all(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()
            self._keys_by_user.clear()

    def _apply(self, payload: str) -> None:
        if payload == FORGET_ALL:
            self.forget_all()
            return
        try:
            user_ids = [int(part) for part in payload.split(",")]
        except ValueError:
            logger.error("unexpected %s payload %r; forgetting every token", CHANNEL, payload)
            self.forget_all()
            return
        self.forget_users(user_ids)

    # -- the listener -----------------------------------------------------------

    def _ensure_listener(self) -> None:
        if self._listener is not None:
            return
        with self._lock:
            if self._listener is None:
                self._listener = threading.Thread(
                    target=self._listen_forever, name="token-cache-listener", daemon=True
                )
                self._listener.start()

    def stop(self) -> None:
        """End the listener (and its connection) and forget everything; for test
        teardown, which must drop the database the listener is connected to."""
        listener = self._listener
        if listener is None:
            return
        self._stopping.set()
        listener.join(timeout=10)
        self.forget_all()
        self._heard_beat_sent_at = float("-inf")
        self._listener = None
        self._stopping = threading.Event()

    def _listen_forever(self) -> None:
        pause = 0.1
        while not self._stopping.is_set():
            try:
                self._listen()
                pause = 0.1
            except Exception:
                if self._stopping.is_set():
                    break
                logger.warning(
                    "token cache listener lost PostgreSQL; tokens are read from the database", exc_info=True
                )
            self._heard_beat_sent_at = float("-inf")
            self.forget_all()
            self._stopping.wait(pause)
            pause = min(pause * 2, 5.0)

    def _listen(self) -> None:
        database = connections.create_connection(DEFAULT_DB_ALIAS)
        database.settings_dict = listener_settings(database.settings_dict)
        try:
            database.ensure_connection()
            connection = database.connection
            connection.execute(f"LISTEN {CHANNEL}")
            # Changes committed before LISTEN took effect were never heard.
            self.forget_all()
            own_pid = connection.info.backend_pid
            beats: deque[tuple[int, float]] = deque()
            number = 0
            while not self._stopping.is_set():
                number += 1
                beats.append((number, time.monotonic()))
                if len(beats) > 100:  # never heard (see docs/deploy.md on poolers): keep the queue bounded
                    beats.popleft()
                connection.execute("SELECT pg_notify(%s, %s)", [CHANNEL, f"{BEAT_PREFIX}{number}"])
                for notice in connection.notifies(timeout=BEAT_SECONDS):
                    if not notice.payload.startswith(BEAT_PREFIX):
                        self._apply(notice.payload)
                    elif notice.pid == own_pid:
                        heard = int(notice.payload[len(BEAT_PREFIX) :])
                        while beats and beats[0][0] <= heard:
                            _, sent_at = beats.popleft()
                            self._heard_beat_sent_at = max(self._heard_beat_sent_at, sent_at)
        finally:
            database.close()


token_cache = TokenCache()
