"""messages_send_batch: group commit with message_send's rules, one result per
request, refusals and failures isolated to their own message."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef

from accounts.choices import VerificationStatus
from accounts.models import BankerProfile, User
from accounts.selectors import verified_bankers
from accounts.tests.factories import BankerFactory
from b2bbank.domain_errors import Forbidden, NotFound
from chat import services
from chat.models import Conversation, Message
from chat.services import MessageSendRequest, SendFailed
from chat.services.send import _LOCK_CONVERSATIONS
from chat.tests.factories import ConversationFactory
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db


def req(sender: Any, conversation: Any, body: str, client_id: str = "") -> MessageSendRequest:
    return MessageSendRequest(sender=sender, conversation_id=conversation.pk, body=body, client_id=client_id)


def send_three(conversation: Any, owner_a: Any, banker_x: Any) -> list[int]:
    results = services.messages_send_batch(
        requests=[
            req(owner_a, conversation, "one", "o1"),
            req(banker_x, conversation, "two", "b1"),
            req(owner_a, conversation, "three", "o2"),
        ]
    )
    assert [(r.created, r.error) for r in results] == [(True, None)] * 3
    return [r.message.pk for r in results if r.message]


def test_batch_stores_every_message_in_request_order(conversation: Any, owner_a: Any, banker_x: Any) -> None:
    ids = send_three(conversation, owner_a, banker_x)
    assert ids == sorted(ids)
    stored = list(Message.objects.filter(conversation=conversation).order_by("id"))
    assert [(m.pk, m.body, m.client_id) for m in stored] == list(
        zip(ids, ["one", "two", "three"], ["o1", "b1", "o2"], strict=True)
    )


def test_batch_moves_last_message_and_senders_read_markers(
    conversation: Any, owner_a: Any, banker_x: Any
) -> None:
    ids = send_three(conversation, owner_a, banker_x)
    last = Message.objects.get(pk=ids[2])
    conversation.refresh_from_db()
    assert (conversation.last_message_id, conversation.last_activity_at) == (ids[2], last.created_at)
    assert (conversation.owner_last_read, conversation.banker_last_read) == (ids[2], ids[1])


def test_batch_of_many_conversations_costs_the_same_statements_as_one(
    owner_a: Any, banker_x: Any, banker_y: Any, django_assert_num_queries: Any
) -> None:
    conversations = [ConversationFactory(owner=owner_a, banker=b) for b in (banker_x, banker_y)]
    requests = [req(owner_a, c, f"hello {n}") for n in range(10) for c in conversations]
    # savepoint, lock the conversations, insert and update the conversations, release
    with django_assert_num_queries(4):
        results = services.messages_send_batch(requests=requests)
    assert all(r.created for r in results)
    assert Message.objects.count() == 20


def test_batch_publishes_once_after_commit_to_both_sides(
    conversation: Any,
    owner_a: Any,
    banker_x: Any,
    published: list,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        results = services.messages_send_batch(
            requests=[req(owner_a, conversation, "a", "1"), req(banker_x, conversation, "b", "2")]
        )
        assert published == [], "nothing goes out before the commit"
    assert len(callbacks) == 1
    callbacks[0]()
    both = sorted([owner_a.pk, banker_x.pk])
    assert [(users, e["message"]["id"]) for users, e in published] == [
        (both, results[0].message.pk),  # type: ignore[union-attr]
        (both, results[1].message.pk),  # type: ignore[union-attr]
    ]


def test_batch_repeated_client_id_returns_stored_message_to_sender_only(
    conversation: Any, owner_a: Any, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    first, _ = services.message_send(
        sender=owner_a, conversation_id=conversation.pk, body="hi", client_id="x"
    )
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        results = services.messages_send_batch(
            requests=[
                req(owner_a, conversation, "hi", "x"),  # a retry of the stored one
                req(owner_a, conversation, "new", "y"),
                req(owner_a, conversation, "new", "y"),  # the same retry twice in one batch
            ]
        )
    assert [(r.message.pk if r.message else None, r.created) for r in results] == [
        (first.pk, False),
        (results[1].message.pk, True),  # type: ignore[union-attr]
        (results[1].message.pk, False),  # type: ignore[union-attr]
    ]
    assert Message.objects.count() == 2
    assert [users for users, _ in published] == [
        sorted([owner_a.pk, conversation.banker_id]),
        [owner_a.pk],
        [owner_a.pk],
    ]


def test_batch_moves_only_what_it_stored_in_each_conversation(
    conversation: Any, owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    """The INSERT moves each conversation's newest message and its senders'
    read markers in the same statement: a repeat moves nothing, and each
    side's marker only moves for that side's own messages."""
    other = ConversationFactory(owner=owner_a, banker=banker_y)
    old, _ = services.message_send(
        sender=banker_x, conversation_id=conversation.pk, body="old", client_id="b"
    )
    Conversation.objects.filter(pk=conversation.pk).update(banker_last_read=0, owner_last_read=0)
    results = services.messages_send_batch(
        requests=[
            req(owner_a, conversation, "new from the owner", "o"),
            req(banker_x, conversation, "old", "b"),  # a retry of the stored one: moves nothing
            req(banker_y, other, "new from banker y", "y1"),
            req(banker_y, other, "newer from banker y", "y2"),
        ]
    )
    stored = [r.message.pk for r in results]  # type: ignore[union-attr]
    assert [r.created for r in results] == [True, False, True, True]
    assert stored[1] == old.pk
    conversation.refresh_from_db()
    other.refresh_from_db()
    newest = Message.objects.get(pk=stored[0])
    assert (conversation.last_message_id, conversation.last_activity_at) == (stored[0], newest.created_at)
    assert (conversation.owner_last_read, conversation.banker_last_read) == (stored[0], 0)
    assert (other.last_message_id, other.owner_last_read, other.banker_last_read) == (stored[3], 0, stored[3])
    assert other.last_activity_at == Message.objects.get(pk=stored[3]).created_at


def test_refused_message_in_batch_leaves_the_others_stored(
    conversation: Any,
    owner_a: Any,
    owner_b: Any,
    staff: Any,
    published: list,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        results = services.messages_send_batch(
            requests=[
                req(owner_a, conversation, "kept 1"),
                req(owner_b, conversation, "not mine"),
                req(owner_a, conversation, ""),
                req(owner_a, conversation, "x" * 5001),
                req(staff, conversation, "staff"),
                MessageSendRequest(sender=owner_a, conversation_id=999_999, body="nowhere"),
                req(owner_a, conversation, "kept 2"),
            ]
        )
    errors = [type(r.error) if r.error else None for r in results]
    assert errors == [None, NotFound, ValidationError, ValidationError, Forbidden, NotFound, None]
    assert results[2].error.message_dict == {"body": ["This field cannot be blank."]}  # type: ignore[union-attr]
    assert [m.body for m in Message.objects.order_by("id")] == ["kept 1", "kept 2"]
    assert len(published) == 2


def test_database_failure_of_one_message_fails_that_message_only(
    conversation: Any, owner_a: Any, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    """A NUL byte passes the model rules but PostgreSQL refuses it: the batch is
    retried one by one, so only that sender hears of a failure."""
    with django_capture_on_commit_callbacks(execute=True):
        results = services.messages_send_batch(
            requests=[
                req(owner_a, conversation, "before"),
                req(owner_a, conversation, "bad\x00byte", "nul"),
                req(owner_a, conversation, "after"),
            ]
        )
    assert [r.created for r in results] == [True, False, True]
    assert isinstance(results[1].error, SendFailed)
    assert [m.body for m in Message.objects.order_by("id")] == ["before", "after"]
    assert [e["message"]["body"] for _, e in published] == ["before", "after"]
    conversation.refresh_from_db()
    assert conversation.last_message_id == results[2].message.pk  # type: ignore[union-attr]


def test_message_send_raises_the_database_failure_to_its_caller(conversation: Any, owner_a: Any) -> None:
    """REST answers 500 for a database failure, as before batching."""
    with pytest.raises(DatabaseError):
        services.message_send(sender=owner_a, conversation_id=conversation.pk, body="nul\x00")
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_on_the_same_conversations_store_everything_in_order(
    owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    conversations = [ConversationFactory(owner=owner_a, banker=b) for b in (banker_x, banker_y)]
    counter = iter(range(1000))

    def send_batch() -> list[Any]:
        n = next(counter)
        # Opposite orders in alternate threads: the sorted row locks must not deadlock.
        ordered = conversations if n % 2 else list(reversed(conversations))
        return services.messages_send_batch(
            requests=[req(owner_a, c, f"t{n} m{k}", f"t{n}-{k}-{c.pk}") for k in range(5) for c in ordered]
        )

    results = run_concurrently(8, send_batch)
    assert len(results) == 8
    assert all(r.created for batch in results for r in batch)
    for convo in conversations:
        stored = list(Message.objects.filter(conversation=convo).order_by("id"))
        assert len(stored) == 40
        by_thread: dict[str, list[int]] = {}
        for message in stored:
            thread, k = message.body.split()
            by_thread.setdefault(thread, []).append(int(k[1:]))
        assert all(ks == [0, 1, 2, 3, 4] for ks in by_thread.values()), "each batch keeps its order"
        convo.refresh_from_db()
        assert convo.last_message_id == stored[-1].pk
    assert Conversation.objects.get(pk=conversations[0].pk).owner_last_read == max(
        m.pk for m in Message.objects.filter(conversation=conversations[0])
    )


def test_the_compiled_lock_answers_what_the_orm_answers(
    owner_a: Any, banker_x: Any, banker_y: Any, django_assert_num_queries: Any
) -> None:
    """The lock is compiled once (b2bbank.compiled_query); its rows must stay
    what the ORM query it was built from returns: every conversation asked
    for, and whether its banker is verified and active."""
    banker_z = BankerFactory()
    User.objects.filter(pk=banker_z.pk).update(is_active=False)
    conversations = [ConversationFactory(owner=owner_a, banker=b) for b in (banker_x, banker_y, banker_z)]
    BankerProfile.objects.filter(user=banker_y).update(verification_status=VerificationStatus.REJECTED)
    ids = sorted(c.pk for c in conversations)
    with transaction.atomic():
        with django_assert_num_queries(1):
            rows = _LOCK_CONVERSATIONS.rows([*ids, 10**12])
        expected = list(
            Conversation.objects.filter(pk__in=ids)
            .annotate(banker_open=Exists(verified_bankers().filter(user_id=OuterRef("banker_id"))))
            .order_by("pk")
            .values_list("pk", "owner_id", "banker_id", "banker_open")
        )
    assert rows == expected
    assert [open_ for *_, open_ in rows] == [True, False, False]
