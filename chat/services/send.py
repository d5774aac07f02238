"""The send path: how a message becomes a stored row and a `message.new`
frame on both participants' sockets.

A frame's journey (the names to follow):
1. `chat.consumers.RealtimeConsumer.on_message_send` validates the frame and
   builds a `MessageSendRequest`.
2. `chat.send_queue.MessageSendQueue.send` puts it on the server process's
   queue; the queue's drainer hands a batch to a worker thread
   (`chat.workers.in_worker`), with the event loop to publish through.
3. `messages_send_batch` (here) stores the batch in one transaction:
   `_send_batch` runs the steps below in order, each one a named function.
4. After commit, `b2bbank.realtime.publish_all` hands the batch's frames back
   to the event loop, which sends them with the channel layer's `group_send`.

REST and the pages call `message_send`, a batch of one, so every rule (the
per-user send limit included) holds for every entry point.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.selectors import verified_bankers
from b2bbank.compiled_query import AnyOf, CompiledQuery
from b2bbank.domain_errors import DomainError, Forbidden, NotFound
from b2bbank.realtime import publish_all_on_commit
from documents.models import ChatAttachment

from .. import events, rate_limit
from ..models import BODY_MAX, CLIENT_ID_MAX, Conversation, Message
from ..permissions import can_chat

logger = logging.getLogger(__name__)

READ_ONLY = "This banker is no longer verified on b2bbank, so this conversation is read-only."
NOT_A_CHAT_USER = "Only business owners and bankers can use chat."


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
    participant, bad body, over the send limit) refuses that message only; if
    the batch fails in the database, each message is retried in its own
    transaction, so one bad message never takes the others down and every
    sender hears about its own."""
    try:
        with transaction.atomic():
            return _send_batch(requests)
    except DatabaseError:
        if len(requests) == 1:
            logger.exception("message send failed")
            return [MessageSendResult(error=SendFailed("The message could not be stored; retry it."))]
        logger.warning("a batch of %s messages failed; retrying one by one", len(requests))
    return [result for request in requests for result in messages_send_batch(requests=[request])]


@dataclass
class _Batch:
    """One group commit on its way through the steps of `_send_batch`: each
    step decides some requests' results; the rest go on to the next step."""

    requests: Sequence[MessageSendRequest]
    results: list[MessageSendResult | None]
    # conversation id -> (owner id, banker id), for the conversations locked
    people: dict[int, tuple[int, int]] = field(default_factory=dict)
    open_bankers: set[int] = field(default_factory=set)
    # (user ids, frame) to publish once the transaction commits
    outgoing: list[tuple[list[int], dict[str, Any]]] = field(default_factory=list)

    def undecided(self) -> list[int]:
        return [i for i, result in enumerate(self.results) if result is None]

    def refuse(self, index: int, error: Exception) -> None:
        self.results[index] = MessageSendResult(error=error)


def _send_batch(requests: Sequence[MessageSendRequest]) -> list[MessageSendResult]:
    """The steps of a batch, in order, inside the caller's transaction. Two
    statements whatever the batch size: the lock, and the INSERT that also
    updates the conversations (a third only when a client_id repeats)."""
    batch = _Batch(requests=requests, results=[None] * len(requests))
    _refuse_non_chat_users(batch)
    _lock_conversations(batch)
    _refuse_what_may_not_be_sent(batch)
    _apply_send_limit(batch)
    repeated = _insert_messages(batch)
    _answer_repeats(batch, repeated)
    if batch.outgoing:
        publish_all_on_commit(batch.outgoing)
    return [result for result in batch.results if result is not None]


def _refuse_non_chat_users(batch: _Batch) -> None:
    for i in batch.undecided():
        if not can_chat(batch.requests[i].sender):
            batch.refuse(i, Forbidden(NOT_A_CHAT_USER))


# Built once: the ORM took 1.6 ms of Python to build and compile this on every
# batch, five times what PostgreSQL takes to run it (b2bbank.compiled_query).
_LOCK_CONVERSATIONS = CompiledQuery(
    lambda ids: (
        Conversation.objects.filter(AnyOf("pk", ids))
        .select_for_update(of=("self",))
        .annotate(banker_open=Exists(verified_bankers().filter(user_id=OuterRef("banker_id"))))
        .order_by("pk")
        .values_list("pk", "owner_id", "banker_id", "banker_open")
    )
)


def _lock_conversations(batch: _Batch) -> None:
    """Lock the batch's conversations in id order (so concurrent batches never
    deadlock) in one statement that also says whose banker is still verified."""
    ids = sorted({batch.requests[i].conversation_id for i in batch.undecided()})
    if not ids:
        return
    rows = _LOCK_CONVERSATIONS.rows(ids)
    for pk, owner_id, banker_id, banker_open in rows:
        batch.people[pk] = (owner_id, banker_id)
        if banker_open:
            batch.open_bankers.add(banker_id)


def _refuse_what_may_not_be_sent(batch: _Batch) -> None:
    for i in batch.undecided():
        refusal = _refusal(batch.requests[i], batch.people, batch.open_bankers)
        if refusal is not None:
            batch.refuse(i, refusal)


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


def _apply_send_limit(batch: _Batch) -> None:
    """The per-user send limit (chat.rate_limit), counted here so that every
    entry point counts: socket, REST, page, file upload, conversation start.
    The whole batch is decided at once: one Redis round trip, not one per
    message, while the batch's conversations are locked."""
    todo = batch.undecided()
    refusals = rate_limit.send_refusals([batch.requests[i].sender.pk for i in todo])
    for i, refusal in zip(todo, refusals, strict=True):
        if refusal is not None:
            batch.refuse(i, refusal)


# One statement stores the batch and moves its conversations on:
# - ORDER BY n: identities are drawn in request order, so a conversation's ids
#   follow its senders' order, and `ORDER BY id` gives the rows back in it.
# - ON CONFLICT DO NOTHING skips a repeated client_id (the idempotency check).
# - `moved`: each conversation's newest message, and each side's read marker
#   (a sender has read everything up to their own message). It sees only the
#   rows this statement inserted, so a skipped repeat moves nothing.
# The rows travel as one JSON document: psycopg binds parameters client-side
# in Python, per array element, which cost more than the statements did.
_INSERT_MESSAGES = """
    WITH new AS (
        INSERT INTO chat_message (conversation_id, sender_id, body, client_id, created_at, attachment_id)
        SELECT (e->>0)::bigint, (e->>1)::bigint, e->>2, e->>3, (e->>4)::timestamptz, (e->>5)::bigint
        FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS m(e, n) ORDER BY n
        ON CONFLICT DO NOTHING
        RETURNING id, conversation_id, sender_id, client_id, created_at
    ), latest AS (
        SELECT new.conversation_id, max(new.id) AS message_id,
            max(new.id) FILTER (WHERE new.sender_id = c.owner_id) AS owner_read,
            max(new.id) FILTER (WHERE new.sender_id = c.banker_id) AS banker_read
        FROM new JOIN chat_conversation AS c ON c.id = new.conversation_id
        GROUP BY new.conversation_id
    ), moved AS (
        UPDATE chat_conversation AS c SET last_message_id = latest.message_id,
            last_activity_at = new.created_at,
            owner_last_read = GREATEST(c.owner_last_read, latest.owner_read),
            banker_last_read = GREATEST(c.banker_last_read, latest.banker_read)
        FROM latest JOIN new ON new.id = latest.message_id
        WHERE c.id = latest.conversation_id
    )
    SELECT id, conversation_id, sender_id, client_id FROM new ORDER BY id"""


def _insert_row(request: MessageSendRequest) -> list[Any]:
    attachment_id = request.attachment.pk if request.attachment is not None else None
    return [
        request.conversation_id,
        request.sender.pk,
        request.body,
        request.client_id,
        request.created_at.isoformat(),
        attachment_id,
    ]


def _insert_messages(batch: _Batch) -> list[int]:
    """The one statement that stores the batch and moves its conversations'
    newest message and read markers. A repeated client_id is skipped by the
    unique constraint (that is the idempotency check); returns those
    requests' indexes. Each stored message's `message.new` goes to both
    participants."""
    todo = batch.undecided()
    if not todo:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_MESSAGES, [json.dumps([_insert_row(batch.requests[i]) for i in todo])])
        inserted = iter(cursor.fetchall())
    repeated: list[int] = []
    row = next(inserted, None)
    for i in todo:
        request = batch.requests[i]
        # A skipped (repeated) client_id can never match a later inserted row.
        if row is None or tuple(row[1:]) != (request.conversation_id, request.sender.pk, request.client_id):
            repeated.append(i)
            continue
        message = _stored(request, message_id=row[0])
        batch.results[i] = MessageSendResult(message=message, created=True)
        batch.outgoing.append((list(batch.people[request.conversation_id]), events.message_new(message)))
        row = next(inserted, None)
    return repeated


def _stored(request: MessageSendRequest, *, message_id: int) -> Message:
    return Message(
        id=message_id,
        conversation_id=request.conversation_id,
        sender_id=request.sender.pk,
        body=request.body,
        client_id=request.client_id,
        created_at=request.created_at,
        attachment=request.attachment,
    )


def _answer_repeats(batch: _Batch, repeated: list[int]) -> None:
    """A client_id already stored: answer with the stored message and re-send
    its event to the sender only."""
    if not repeated:
        return
    keys = Q()
    for i in repeated:
        r = batch.requests[i]
        keys |= Q(conversation_id=r.conversation_id, sender_id=r.sender.pk, client_id=r.client_id)
    stored = {
        (m.conversation_id, m.sender_id, m.client_id): m
        for m in Message.objects.filter(keys).select_related("attachment")
    }
    for i in repeated:
        r = batch.requests[i]
        existing = stored[(r.conversation_id, r.sender.pk, r.client_id)]
        batch.results[i] = MessageSendResult(message=existing, created=False)
        batch.outgoing.append(([r.sender.pk], events.message_new(existing)))
