from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.tests.factories import BankerFactory
from chat import services
from chat.models import Conversation, Message
from chat.tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def messages_url(convo: Any) -> str:
    return reverse("api:conversation-messages", kwargs={"conversation_id": convo.pk})


def test_start_creates_then_returns_existing(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    client = api_as(owner_a)
    url = reverse("api:conversations")
    first = client.post(url, {"banker": banker_x.pk, "message": "Hello"})
    assert first.status_code == 201, first.json()
    again = client.post(url, {"banker": banker_x.pk})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    body = first.json()
    assert body["counterpart"]["id"] == banker_x.pk
    assert body["last_message"]["body"] == "Hello"
    assert body["unread"] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "banker"),
        ({"banker": "abc"}, "banker"),
        ({"banker": 1, "role": "x"}, "role"),
        ({"banker": 1, "message": "x" * 5001}, "message"),
    ],
)
def test_start_rejects_bad_input_naming_the_field(
    api_as: Any, owner_a: Any, payload: dict, field: str
) -> None:
    response = api_as(owner_a).post(reverse("api:conversations"), payload)
    assert response.status_code == 400
    assert field in response.json()


def test_start_refused_for_unverified_banker(api_as: Any, owner_a: Any, pending_banker: Any) -> None:
    response = api_as(owner_a).post(reverse("api:conversations"), {"banker": pending_banker.pk})
    assert response.status_code == 400
    assert "banker" in response.json()
    assert not Conversation.objects.exists()


def test_list_shows_counterpart_last_message_and_unread_newest_first(
    api_as: Any, owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    older = ConversationFactory(owner=owner_a, banker=banker_x)
    newer = ConversationFactory(owner=owner_a, banker=banker_y)
    services.message_send(sender=banker_x, conversation_id=older.pk, body="x1")
    services.message_send(sender=banker_x, conversation_id=older.pk, body="x2")
    services.message_send(sender=banker_y, conversation_id=newer.pk, body="y1")
    ConversationFactory()  # someone else's
    rows = api_as(owner_a).get(reverse("api:conversations")).json()
    assert [r["id"] for r in rows] == [newer.pk, older.pk]
    assert [r["unread"] for r in rows] == [1, 2]
    assert rows[1]["last_message"]["body"] == "x2"
    assert rows[1]["counterpart"]["organisation"] == banker_x.banker_profile.institution
    banker_rows = api_as(banker_x).get(reverse("api:conversations")).json()
    assert [(r["id"], r["unread"]) for r in banker_rows] == [(older.pk, 0)]


def test_list_query_count_does_not_grow_with_conversations(
    api_as: Any, owner_a: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(5):
        convo = ConversationFactory(owner=owner_a, banker=BankerFactory())
        services.message_send(sender=convo.banker, conversation_id=convo.pk, body="hi")
    client = api_as(owner_a)
    with django_assert_num_queries(1):
        response = client.get(reverse("api:conversations"))
    assert len(response.json()) == 5


def test_unread_total_counts_only_the_other_sides_unread_messages(
    api_as: Any, conversation: Any, owner_a: Any, banker_x: Any
) -> None:
    services.message_send(sender=owner_a, conversation_id=conversation.pk, body="mine")
    m1, _ = services.message_send(sender=banker_x, conversation_id=conversation.pk, body="theirs 1")
    services.message_send(sender=banker_x, conversation_id=conversation.pk, body="theirs 2")
    url = reverse("api:conversations-unread")
    assert api_as(owner_a).get(url).json() == {"unread": 2}
    services.conversation_mark_read(user=owner_a, conversation_id=conversation.pk, message_id=m1.pk)
    assert api_as(owner_a).get(url).json() == {"unread": 1}
    assert api_as(banker_x).get(url).json() == {"unread": 0}


def test_messages_newest_first_with_stable_before_cursor(
    api_as: Any, conversation: Any, owner_a: Any
) -> None:
    sent = [MessageFactory(conversation=conversation, sender=owner_a) for _ in range(5)]
    client = api_as(owner_a)
    page1 = client.get(messages_url(conversation), {"limit": 2}).json()
    assert [m["id"] for m in page1["results"]] == [sent[4].pk, sent[3].pk]
    # A message arriving between pages does not shift the next page.
    MessageFactory(conversation=conversation, sender=owner_a)
    page2 = client.get(page1["next"]).json()
    assert [m["id"] for m in page2["results"]] == [sent[2].pk, sent[1].pk]
    page3 = client.get(page2["next"]).json()
    assert [m["id"] for m in page3["results"]] == [sent[0].pk]
    assert page3["next"] is None


def test_messages_after_returns_only_newer_for_backfill(api_as: Any, conversation: Any, owner_a: Any) -> None:
    sent = [MessageFactory(conversation=conversation, sender=owner_a) for _ in range(4)]
    rows = api_as(owner_a).get(messages_url(conversation), {"after": sent[1].pk}).json()["results"]
    assert [m["id"] for m in rows] == [sent[3].pk, sent[2].pk]


@pytest.mark.parametrize("query", [{"before": "x"}, {"limit": 0}, {"limit": 101}, {"page": 2}])
def test_messages_rejects_bad_query_naming_the_parameter(
    api_as: Any, conversation: Any, owner_a: Any, query: dict
) -> None:
    response = api_as(owner_a).get(messages_url(conversation), query)
    assert response.status_code == 400
    assert next(iter(query)) in response.json()


def test_messages_page_query_count_is_constant(
    api_as: Any, conversation: Any, owner_a: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(40):
        MessageFactory(conversation=conversation, sender=owner_a)
    client = api_as(owner_a)
    with django_assert_num_queries(2):
        response = client.get(messages_url(conversation))
    assert len(response.json()["results"]) == 30


def test_send_is_idempotent_with_client_id(api_as: Any, conversation: Any, banker_x: Any) -> None:
    client = api_as(banker_x)
    first = client.post(messages_url(conversation), {"body": "Rates are 7%", "client_id": "abc"})
    again = client.post(messages_url(conversation), {"body": "Rates are 7%", "client_id": "abc"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "hi", "sender": 1}, "sender"),
    ],
)
def test_send_rejects_bad_input_naming_the_field(
    api_as: Any, conversation: Any, owner_a: Any, payload: dict, field: str
) -> None:
    response = api_as(owner_a).post(messages_url(conversation), payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Message.objects.exists()


def test_read_marks_and_rejects_foreign_message(
    api_as: Any, conversation: Any, owner_a: Any, banker_x: Any
) -> None:
    message = MessageFactory(conversation=conversation, sender=banker_x)
    url = reverse("api:conversation-read", kwargs={"conversation_id": conversation.pk})
    response = api_as(owner_a).post(url, {"message": message.pk})
    assert response.status_code == 200
    assert response.json()["my_last_read"] == message.pk
    assert response.json()["unread"] == 0
    bad = api_as(owner_a).post(url, {"message": MessageFactory().pk})
    assert bad.status_code == 400
    assert "message" in bad.json()


def test_ticket_is_returned_with_socket_url(api_as: Any, owner_a: Any) -> None:
    response = api_as(owner_a).post(reverse("api:realtime-ticket"))
    assert response.status_code == 201
    body = response.json()
    assert body["url"].endswith(f"/ws/?ticket={body['ticket']}")
    redeemed = services.ticket_redeem(key=body["ticket"])
    assert redeemed is not None
    assert redeemed.user == owner_a
    assert redeemed.token is None, "a session-authenticated request has no token to tie the socket to"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_sends_store_one_message(owner_a: Any, banker_x: Any) -> None:
    from rest_framework.test import APIClient

    from tests.concurrency import run_concurrently

    conversation, _ = services.conversation_start(owner=owner_a, banker_id=banker_x.pk)
    token = (
        APIClient()
        .post(
            "/api/v1/auth/token/",
            {"email": owner_a.email, "password": "correct-horse-battery-9"},
            format="json",
        )
        .json()["token"]
    )

    def send() -> tuple[int, Any]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY="send-once")
        response = client.post(
            f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "Hello, once"}, format="json"
        )
        return response.status_code, response.json()

    answers = run_concurrently(20, send)
    assert Message.objects.filter(conversation=conversation).count() == 1
    assert [code for code, _ in answers] == [201] * 20
    assert len({body["id"] for _, body in answers}) == 1


def test_same_key_with_another_body_is_refused(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    conversation, _ = services.conversation_start(owner=owner_a, banker_id=banker_x.pk)
    client = api_as(owner_a)
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    assert client.post(url, {"body": "one"}, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    again = client.post(url, {"body": "two"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert again.status_code == 422


def test_send_over_the_rate_is_429_with_the_error_shape_and_reads_still_work(
    api_as: Any, owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import override_settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "chat_send": "2/min"}
    cache.clear()
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        owner = api_as(owner_a)
        codes = [owner.post(messages_url(conversation), {"body": f"m{n}"}).status_code for n in range(3)]
        assert codes == [201, 201, 429]
        refused = owner.post(messages_url(conversation), {"body": "again"})
        assert refused.status_code == 429
        assert set(refused.json()) == {"detail"}
        assert "Retry-After" in refused.headers
        assert owner.get(messages_url(conversation)).status_code == 200, "reading is not limited"
        assert api_as(banker_x).post(messages_url(conversation), {"body": "mine"}).status_code == 201
    assert Message.objects.count() == 3
    cache.clear()
