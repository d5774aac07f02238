"""The one websocket per browser tab (DESIGN.md, Realtime)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from authentication.session_limits import session_expires_at, session_recheck
from b2bbank.domain_errors import DomainError
from b2bbank.json_input import InvalidJson, strict_loads
from b2bbank.realtime import user_group

from . import events, services
from .api.serializers import MessageSendFrame, ReadFrame, TypingFrame, message_send_frame_fast
from .send_queue import queue_for_loop
from .session_deadlines import deadlines_for_loop
from .workers import in_worker

logger = logging.getLogger(__name__)

UNAUTHENTICATED = 4401
LOGGED_OUT = 4001
SESSION_EXPIRED = 4003
SESSION_CHECK_SLACK = 1.0  # seconds past the deadline, so the recheck sees it expired
# 1009 is the protocol's own "message too big", which an application may not send
# (autobahn refuses it: the consumer crashed); 4000-4999 are the application's.
TOO_BIG = 4009
# A 5,000-character message is at most 20 KB of UTF-8, plus the frame's keys.
MAX_FRAME_BYTES = 24 * 1024
TYPING_MIN_INTERVAL = 0.5  # seconds


class _Refused(Exception):
    """A client frame refused before any handler ran."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


class RealtimeConsumer(AsyncWebsocketConsumer):
    """Joins the signed-in user's group, forwards the events services publish,
    and handles client frames with the REST endpoints' serializers and services.
    It never echoes a message itself: the service's after-commit event reaches
    every tab of both participants, this one included."""

    user: Any = None
    groups_joined: tuple[str, ...] | list[str] = ()
    last_typing_at: float = float("-inf")
    last_frame_at: float = 0.0
    session_key: str | None = None
    session_deadline: int | None = None  # its key in chat.session_deadlines
    session_check: asyncio.Future[None] | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=UNAUTHENTICATED)
            return
        # The user itself, not Channels' lazy proxy: every attribute read through
        # the proxy is a Python call, and sends read the user many times.
        self.user = getattr(user, "_wrapped", user)
        self.groups_joined = [user_group(user.pk)]
        if self.scope.get("api_token_id"):
            self.groups_joined.append(services.token_group(self.scope["api_token_id"]))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        session = self.scope.get("session")
        if session is not None and session.session_key and session.get(SESSION_KEY) == str(user.pk):
            # A socket must not outlive the session that signed it in (30 min idle,
            # 12 h in all); a ticket socket (even with some session cookie) has none.
            self.session_key = session.session_key
            self._watch_session(session_expires_at(session, time.time()))

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' dispatch hops to its single shared sync thread before every
        message to close stale database connections; with one hop per frame and
        per delivered event that thread serialized the whole server. Every
        database call here goes through database_sync_to_async, which closes
        stale connections in its own thread, so the hop is skipped."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    def _watch_session(self, expires_at: float) -> None:
        """Close the socket when its session expires. At the deadline the session
        is read again (`session_due`): other tabs' requests, or this socket's
        own frames, may have kept it alive."""
        self.session_deadline = deadlines_for_loop().watch(self, expires_at + SESSION_CHECK_SLACK)

    def session_due(self) -> None:
        self.session_deadline = None
        self.session_check = asyncio.ensure_future(self._recheck_session())

    async def _recheck_session(self) -> None:
        assert self.session_key is not None  # noqa: S101 - only sockets with a session are watched
        active_at = self.last_frame_at or None
        recheck = await in_worker(session_recheck)(session_key=self.session_key, active_at=active_at)
        if recheck is None:
            await self.close(code=SESSION_EXPIRED)
            return
        self._watch_session(recheck)

    async def disconnect(self, code: int) -> None:
        if self.session_deadline is not None:
            deadlines_for_loop().forget(self, self.session_deadline)
        if self.session_check is not None:
            self.session_check.cancel()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """A client frame: parsed (`_parse`), then handled by its type's
        handler, a refusal answered with an `error` frame."""
        self.last_frame_at = time.time()
        raw = text_data.encode() if text_data is not None else (bytes_data or b"")
        if len(raw) > MAX_FRAME_BYTES:
            await self.close(code=TOO_BIG)
            return
        try:
            frame = self._parse(raw)
            await self.HANDLERS[frame["type"]](self, frame)
        except _Refused as exc:
            await self._error(exc.code, exc.detail)
        except serializers.ValidationError as exc:
            await self._error("invalid", exc.detail)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            await self._error("invalid", detail)
        except DomainError as exc:
            await self._error(exc.code, exc.detail)

    def _parse(self, raw: bytes) -> dict[str, Any]:
        """The frame as a dict with a `type` this consumer handles."""
        try:
            frame = strict_loads(raw)
        except InvalidJson as exc:
            raise _Refused("invalid_json", f"Frames must be JSON objects. {exc}") from exc
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            raise _Refused("invalid_frame", "A frame is a JSON object with a `type`.")
        if frame["type"] not in self.HANDLERS:
            raise _Refused("unknown_type", f"Unknown frame type {frame['type'][:40]!r}.")
        return frame

    async def on_message_send(self, frame: dict[str, Any]) -> None:
        """Validate the frame and put it on the send queue (chat.send_queue),
        which stores it; the answer is the `message.new` frame the service
        publishes after commit, or an `error` frame here."""
        fields = message_send_frame_fast(frame)
        if fields is None:
            data = MessageSendFrame(data=frame)
            data.is_valid(raise_exception=True)
            fields = data.validated_data
        result = await queue_for_loop().send(
            services.MessageSendRequest(
                sender=self.user,
                conversation_id=fields["conversation"],
                body=fields["body"],
                client_id=fields.get("client_id", ""),
            )
        )
        if result.error is not None:
            raise result.error

    async def on_read(self, frame: dict[str, Any]) -> None:
        data = ReadFrame(data=frame)
        data.is_valid(raise_exception=True)
        await in_worker(services.conversation_mark_read)(
            user=self.user,
            conversation_id=data.validated_data["conversation"],
            message_id=data.validated_data["message"],
        )

    async def on_typing(self, frame: dict[str, Any]) -> None:
        data = TypingFrame(data=frame)
        data.is_valid(raise_exception=True)
        # Browsers send one every 2 s while typing; more often is noise (or abuse) for the other side.
        now = time.monotonic()
        if now - self.last_typing_at < TYPING_MIN_INTERVAL:
            return
        self.last_typing_at = now
        await in_worker(services.typing_send)(
            user=self.user, conversation_id=data.validated_data["conversation"]
        )

    HANDLERS = {"message.send": on_message_send, "read": on_read, "typing": on_typing}

    async def _error(self, code: str, detail: Any) -> None:
        await self.send(text_data=json.dumps(events.error_frame(code, detail)))

    async def realtime_event(self, message: dict[str, Any]) -> None:
        """A frame a service published (b2bbank.realtime.envelope): forwarded
        as the text encoded once at publish time."""
        event = message["event"]
        if event.get("type") == events.SESSION_CLOSED:
            await self.close(code=LOGGED_OUT)
            return
        await self.send(text_data=message["text"])
