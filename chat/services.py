"""Every write in chat. Events go out after commit through b2bbank.realtime, so
a message sent over REST and one sent over the socket reach both sides the
same way, and nothing is sent for a write that rolls back."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.permissions import is_business_owner, require_verified_email
from accounts.selectors import verified_bankers
from authentication.models import ApiToken
from b2bbank.domain_errors import DomainError, Forbidden, NotFound
from b2bbank.realtime import publish_all_on_commit, publish_on_commit
from documents.models import ChatAttachment

from . import events, selectors
from .models import BODY_MAX, CLIENT_ID_MAX, Conversation, Message, RealtimeTicket
from .permissions import can_chat, conversation_is_read_only

TICKET_TTL = timedelta(seconds=30)
logger = logging.getLogger(__name__)


def _locked_conversation(*, user: Any, conversation_id: int) -> Conversation:
    """The viewer's conversation, row-locked so sends and read markers of one
    conversation serialize (message ids then grow in commit order)."""
    if not can_chat(user):
        raise Forbidden("Only business owners and bankers can use chat.")
    conversation = (
        Conversation.objects.visible_to(user).select_for_update().filter(pk=conversation_id).first()
    )
    if conversation is None:
        raise NotFound("Conversation not found.")
    return conversation


@transaction.atomic
def conversation_start(
    *, owner: Any, banker_id: int, message: str | None = None, client_id: str = ""
) -> tuple[Conversation, bool]:
    """Open (or return the existing) conversation of a business owner with a
    verified banker, optionally with a first message. Returns (conversation,
    created)."""
    if not is_business_owner(owner):
        raise Forbidden("Only business owners can start a conversation.")
    require_verified_email(owner)
    if not verified_bankers().filter(user_id=banker_id).exists():
        raise ValidationError({"banker": ["No verified banker with this id."]})
    conversation = Conversation.objects.filter(owner=owner, banker_id=banker_id).first()
    created = False
    if conversation is None:
        conversation = Conversation(owner=owner, banker_id=banker_id)
        conversation.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():  # a racing start surfaces as the existing row
                conversation.save()
            created = True
        except IntegrityError:
            conversation = Conversation.objects.get(owner=owner, banker_id=banker_id)
    if created:
        publish_on_commit([owner.pk, banker_id], events.conversation_new(conversation))
    if message:
        message_send(sender=owner, conversation_id=conversation.pk, body=message, client_id=client_id)
        conversation.refresh_from_db()
    return conversation, created


@dataclass(frozen=True)
class MessageSendRequest:
    """One message to store: what a REST call or a `message.send` frame asks for."""

    sender: Any
    conversation_id: int
    body: str
    client_id: str = ""
    created_at: datetime = field(default_factory=timezone.now)
    # A file already stored for this message (chat.attachments); the body may then be empty.
    attachment: ChatAttachment | None = None


@dataclass(frozen=True)
class MessageSendResult:
    """The stored message (created=False when its client_id was already stored),
    or the error that refused or failed this one message."""

    message: Message | None = None
    created: bool = False
    error: Exception | None = None


class SendFailed(DomainError):
    """The database could not store the message (the sender may retry it with
    the same client_id: nothing was stored)."""

    code = "send_failed"


def message_send(
    *,
    sender: Any,
    conversation_id: int,
    body: str,
    client_id: str = "",
    attachment: ChatAttachment | None = None,
) -> tuple[Message, bool]:
    """Store a message and publish `message.new` to both participants (every
    tab, the sender's too). A repeated `client_id` returns the stored message
    (created=False) and re-sends its event to the sender only. A batch of one
    of messages_send_batch, so REST and the socket share every rule."""
    request = MessageSendRequest(
        sender=sender,
        conversation_id=conversation_id,
        body=body,
        client_id=client_id or "",
        attachment=attachment,
    )
    with transaction.atomic():
        [result] = _send_batch([request])
    if result.error is not None:
        raise result.error
    assert result.message is not None  # noqa: S101 - no error means a message
    return result.message, result.created


def messages_send_batch(*, requests: Sequence[MessageSendRequest]) -> list[MessageSendResult]:
    """Store many messages in one transaction (group commit) with the rules of
    message_send, one result per request in order. A refusal (not a
    participant, bad body) refuses that message only; if the batch fails in the
    database, each message is retried in its own transaction, so one bad
    message never takes the others down and every sender hears about its own."""
    try:
        with transaction.atomic():
            return _send_batch(requests)
    except DatabaseError:
        if len(requests) == 1:
            logger.exception("message send failed")
            return [MessageSendResult(error=SendFailed("The message could not be stored; retry it."))]
        logger.warning("a batch of %s messages failed; retrying one by one", len(requests))
    return [result for request in requests for result in messages_send_batch(requests=[request])]


def _lock_conversations(ids: list[int]) -> tuple[dict[int, tuple[int, int]], set[int]]:
    """Lock these conversations in id order (so concurrent batches never
    deadlock) in one statement that also says whose banker is still verified.
    Returns {id: (owner_id, banker_id)} and the verified bankers' ids."""
    if not ids:
        return {}, set()
    rows = (
        Conversation.objects.filter(pk__in=ids)
        .select_for_update(of=("self",))
        .annotate(banker_open=Exists(verified_bankers().filter(user_id=OuterRef("banker_id"))))
        .order_by("pk")
        .values_list("pk", "owner_id", "banker_id", "banker_open")
    )
    people: dict[int, tuple[int, int]] = {}
    open_bankers: set[int] = set()
    for pk, owner_id, banker_id, banker_open in rows:
        people[pk] = (owner_id, banker_id)
        if banker_open:
            open_bankers.add(banker_id)
    return people, open_bankers


# ORDER BY n: identities are drawn in request order, so a conversation's ids
# follow its senders' order; RETURNING keeps that order (as bulk_create relies on).
_INSERT_MESSAGES = """
    INSERT INTO chat_message (conversation_id, sender_id, body, client_id, created_at, attachment_id)
    SELECT (e->>0)::bigint, (e->>1)::bigint, e->>2, e->>3, (e->>4)::timestamptz, (e->>5)::bigint
    FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS m(e, n) ORDER BY n
    ON CONFLICT DO NOTHING
    RETURNING id, conversation_id, sender_id, client_id"""
_UPDATE_CONVERSATIONS = """
    UPDATE chat_conversation AS c SET last_message_id = (e->>1)::bigint,
        last_activity_at = (e->>2)::timestamptz,
        owner_last_read = GREATEST(c.owner_last_read, (e->>3)::bigint),
        banker_last_read = GREATEST(c.banker_last_read, (e->>4)::bigint)
    FROM jsonb_array_elements(%s::jsonb) AS v(e)
    WHERE c.id = (e->>0)::bigint"""
# The rows travel as one JSON document: psycopg binds parameters client-side
# in Python, per array element, which cost more than the statements did.


def _send_batch(requests: Sequence[MessageSendRequest]) -> list[MessageSendResult]:
    """Three statements whatever the batch size: lock the conversations, insert
    the messages (a repeated client_id is skipped by the unique constraint,
    which is the idempotency check), move each conversation's last message and
    the senders' read markers. One after-commit callback publishes them all."""
    results: list[MessageSendResult | None] = [None] * len(requests)
    for i, request in enumerate(requests):
        if not can_chat(request.sender):
            results[i] = MessageSendResult(error=Forbidden("Only business owners and bankers can use chat."))
    wanted = sorted({r.conversation_id for i, r in enumerate(requests) if results[i] is None})
    people, open_bankers = _lock_conversations(wanted)
    todo: list[int] = []
    for i, request in enumerate(requests):
        if results[i] is not None:
            continue
        refusal = _refusal(request, people, open_bankers)
        if refusal is not None:
            results[i] = MessageSendResult(error=refusal)
            continue
        todo.append(i)
    if not todo:
        return [r for r in results if r is not None]
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_MESSAGES,
            [
                json.dumps(
                    [
                        [
                            r.conversation_id,
                            r.sender.pk,
                            r.body,
                            r.client_id,
                            r.created_at.isoformat(),
                            r.attachment.pk if r.attachment is not None else None,
                        ]
                        for r in (requests[i] for i in todo)
                    ]
                )
            ],
        )
        inserted = cursor.fetchall()
    outgoing: list[tuple[list[int], dict[str, Any]]] = []
    repeated: list[int] = []
    rows = iter(inserted)
    row = next(rows, None)
    for i in todo:
        request = requests[i]
        # A skipped (repeated) client_id can never match a later inserted row.
        if row is not None and (row[1], row[2], row[3]) == (
            request.conversation_id,
            request.sender.pk,
            request.client_id,
        ):
            message = Message(
                id=row[0],
                conversation_id=request.conversation_id,
                sender_id=request.sender.pk,
                body=request.body,
                client_id=request.client_id,
                created_at=request.created_at,
                attachment=request.attachment,
            )
            results[i] = MessageSendResult(message=message, created=True)
            outgoing.append((list(people[request.conversation_id]), events.message_new(message)))
            row = next(rows, None)
        else:
            repeated.append(i)
    if repeated:
        _resolve_repeats(requests, repeated, results, outgoing)
    _update_conversations([r.message for r in results if r is not None and r.created], people)
    if outgoing:
        publish_all_on_commit(outgoing)
    return [r for r in results if r is not None]


READ_ONLY = "This banker is no longer verified on b2bbank, so this conversation is read-only."


def _refusal(
    request: MessageSendRequest, people: dict[int, tuple[int, int]], open_bankers: set[int]
) -> Exception | None:
    """Why this one message may not be stored, if it may not: not a
    participant, a conversation made read-only, or a bad body."""
    pair = people.get(request.conversation_id)
    if pair is None or request.sender.pk not in pair:
        return NotFound("Conversation not found.")
    if pair[1] not in open_bankers:
        return Forbidden(READ_ONLY, code="conversation_read_only")
    return _invalid(request)


def typing_recipient(*, user: Any, conversation_id: int) -> int:
    """Who hears that `user` is typing in this conversation: the other
    participant, while the conversation takes messages."""
    conversation = selectors.conversation_get(user=user, conversation_id=conversation_id)
    if conversation_is_read_only(conversation):
        raise Forbidden(READ_ONLY, code="conversation_read_only")
    return conversation.other_id(user.pk)


def _invalid(request: MessageSendRequest) -> ValidationError | None:
    """The model's rules (full_clean) for body and client_id; the common valid
    case is decided without building a model instance."""
    body, client_id = request.body, request.client_id
    if isinstance(body, str) and 0 < len(body) <= BODY_MAX and len(client_id) <= CLIENT_ID_MAX:
        return None
    if request.attachment is not None and body == "" and len(client_id) <= CLIENT_ID_MAX:
        return None  # a file alone is a message
    try:
        Message(body=body, client_id=client_id).full_clean(
            exclude=["conversation", "sender"], validate_constraints=False
        )
    except ValidationError as exc:
        return exc
    return None


def _resolve_repeats(
    requests: Sequence[MessageSendRequest],
    repeated: list[int],
    results: list[MessageSendResult | None],
    outgoing: list[tuple[list[int], dict[str, Any]]],
) -> None:
    """A client_id already stored: answer with the stored message and re-send
    its event to the sender only."""
    keys = Q()
    for i in repeated:
        r = requests[i]
        keys |= Q(conversation_id=r.conversation_id, sender_id=r.sender.pk, client_id=r.client_id)
    stored = {
        (m.conversation_id, m.sender_id, m.client_id): m
        for m in Message.objects.filter(keys).select_related("attachment")
    }
    for i in repeated:
        r = requests[i]
        existing = stored[(r.conversation_id, r.sender.pk, r.client_id)]
        results[i] = MessageSendResult(message=existing, created=False)
        outgoing.append(([r.sender.pk], events.message_new(existing)))


def _update_conversations(created: list[Message | None], people: dict[int, tuple[int, int]]) -> None:
    """Each conversation's newest message, and the sender's read marker: the
    sender has read everything up to their own message."""
    latest: dict[int, list[Any]] = {}
    for message in created:
        assert message is not None  # noqa: S101 - filtered by the caller
        owner_id, _banker_id = people[message.conversation_id]
        entry = latest.setdefault(message.conversation_id, [0, message.created_at, 0, 0])
        entry[0], entry[1] = message.pk, message.created_at
        entry[2 if message.sender_id == owner_id else 3] = message.pk
    if not latest:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_CONVERSATIONS,
            [
                json.dumps(
                    [
                        [conversation_id, m, at.isoformat(), o, b]
                        for conversation_id, (m, at, o, b) in latest.items()
                    ]
                )
            ],
        )


@transaction.atomic
def conversation_mark_read(*, user: Any, conversation_id: int, message_id: int) -> Conversation:
    """Move the viewer's read marker forward to `message_id` (never back) and
    tell both sides, so the other one can show "Seen"."""
    conversation = _locked_conversation(user=user, conversation_id=conversation_id)
    if not Message.objects.filter(conversation=conversation, pk=message_id).exists():
        raise ValidationError({"message": ["No message with this id in this conversation."]})
    field = "owner_last_read" if user.pk == conversation.owner_id else "banker_last_read"
    if message_id > getattr(conversation, field):
        setattr(conversation, field, message_id)
        conversation.save(update_fields=[field])
        publish_on_commit(
            [conversation.owner_id, conversation.banker_id],
            events.read(conversation, user_id=user.pk, message_id=message_id),
        )
    return conversation


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
    it when the token is revoked), once the revocation commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(
                token_group(token_id), {"type": "realtime.event", "event": events.session_closed()}
            )
        except Exception:  # best-effort like b2bbank.realtime; the token is revoked regardless
            logger.warning("closing sockets of token %s failed", token_id)

    transaction.on_commit(send)


def tickets_delete_expired(*, now: datetime | None = None) -> int:
    """Delete websocket tickets past their expiry (used or not); returns how many.
    A periodic job (jobs.tasks) calls it; issuing a ticket also sweeps."""
    return RealtimeTicket.objects.filter(expires_at__lt=now or timezone.now()).delete()[0]
