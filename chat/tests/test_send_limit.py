"""The per-user send limit is counted in the send service, so every entry
point counts against one budget: REST (with and without a file), the
conversation page, REST conversation start with a first message, and the
socket (chat/tests/test_consumer_sends.py). A refused send changes nothing.
Every test here runs on the shared limit (Redis) and on the per-process one;
chat/tests/test_send_limit_shared.py has what only the shared one does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from b2bbank.domain_errors import RateLimited
from chat import rate_limit, services
from chat.models import Conversation, Message
from chat.services import MessageSendRequest
from documents.models import ChatAttachment
from documents.tests import samples

pytestmark = pytest.mark.django_db

START_URL = "/api/v1/conversations/"


@pytest.fixture(autouse=True, params=["redis", "process"])
def two_per_minute(request: pytest.FixtureRequest, fresh_send_limit: Any) -> Iterator[None]:
    """Each test twice: counted in Redis (production), and in the process's
    memory (the development cache, or Redis unreachable)."""
    if request.param == "redis":
        request.getfixturevalue("cache_on_redis")
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "chat_send": "2/min"}  # type: ignore[index]
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):  # type: ignore[dict-item]
        yield


@pytest.fixture
def document_root(tmp_path: Path, settings: Any) -> Path:
    """Files sent in this test are stored under tmp_path, so it can count them."""
    root = tmp_path / "documents"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def messages_url(conversation: Any) -> str:
    return reverse("api:conversation-messages", kwargs={"conversation_id": conversation.pk})


def test_rest_conversation_start_with_a_message_counts_when_over_the_limit(
    api_as: Any, owner_a: Any, banker_x: Any
) -> None:
    client = api_as(owner_a)
    codes = [
        client.post(START_URL, {"banker": banker_x.pk, "message": f"m{n}"}, format="json").status_code
        for n in range(5)
    ]
    assert codes == [201, 200, 429, 429, 429]
    assert Message.objects.count() == 2


def test_a_refused_first_message_leaves_no_new_conversation(
    api_as: Any, owner_a: Any, banker_x: Any, banker_y: Any, conversation: Any
) -> None:
    services.message_send(sender=owner_a, conversation_id=conversation.pk, body="one")
    services.message_send(sender=owner_a, conversation_id=conversation.pk, body="two")
    refused = api_as(owner_a).post(START_URL, {"banker": banker_y.pk, "message": "hi"}, format="json")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert not Conversation.objects.filter(banker=banker_y).exists()
    assert Message.objects.count() == 2


def test_a_start_without_a_message_is_not_limited(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    client = api_as(owner_a)
    codes = [client.post(START_URL, {"banker": banker_x.pk}, format="json").status_code for _ in range(4)]
    assert codes == [201, 200, 200, 200]


def test_rest_file_sends_count_and_a_refused_one_keeps_no_file(
    api_as: Any, owner_a: Any, conversation: Any, document_root: Path
) -> None:
    client = api_as(owner_a)
    codes = [
        client.post(messages_url(conversation), {"file": samples.upload()}, format="multipart").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert ChatAttachment.objects.count() == 2
    assert Message.objects.count() == 2
    assert len([p for p in document_root.rglob("*") if p.is_file()]) == 2


def test_every_entry_point_draws_on_one_budget(
    api_as: Any, owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    page = Client()
    page.force_login(owner_a)
    page_url = reverse("chat:conversation", kwargs={"conversation_id": conversation.pk})
    assert api_as(owner_a).post(messages_url(conversation), {"body": "rest"}).status_code == 201
    assert page.post(page_url, {"body": "page"}).status_code == 302
    started = api_as(owner_a).post(START_URL, {"banker": banker_x.pk, "message": "start"}, format="json")
    assert started.status_code == 429
    assert page.post(page_url, {"body": "page again"}).status_code == 429
    assert [m.body for m in Message.objects.order_by("id")] == ["rest", "page"]


def test_the_service_refuses_with_a_retry_time_and_stores_nothing(
    owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    for n in range(2):
        services.message_send(sender=owner_a, conversation_id=conversation.pk, body=f"m{n}")
    with pytest.raises(RateLimited) as refused:
        services.message_send(sender=owner_a, conversation_id=conversation.pk, body="m2")
    assert refused.value.code == "rate_limited"
    assert 1 <= refused.value.retry_after <= 30  # 2/min: a token every 30 s
    services.message_send(sender=banker_x, conversation_id=conversation.pk, body="each user has a budget")
    assert Message.objects.count() == 3


def test_in_a_batch_only_the_messages_over_a_users_limit_are_refused(
    owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    requests = [
        MessageSendRequest(sender=sender, conversation_id=conversation.pk, body=f"{name}{n}")
        for n in range(3)
        for sender, name in ((owner_a, "o"), (banker_x, "b"))
    ]
    results = services.messages_send_batch(requests=requests)
    refused = [type(r.error).__name__ if r.error else None for r in results]
    assert refused == [None, None, None, None, "RateLimited", "RateLimited"]
    assert sorted(Message.objects.values_list("body", flat=True)) == ["b0", "b1", "o0", "o1"]


def test_refused_sends_do_not_use_the_budget(owner_a: Any, conversation: Any) -> None:
    with pytest.raises(ValidationError):  # refused before the limit is counted
        services.message_send(sender=owner_a, conversation_id=conversation.pk, body="x" * 5001)
    for n in range(2):
        services.message_send(sender=owner_a, conversation_id=conversation.pk, body=f"m{n}")
    assert Message.objects.count() == 2


def test_the_rate_setting_must_be_a_rate() -> None:
    assert rate_limit.parse_rate("60/min") == (60, 60.0)
    assert rate_limit.parse_rate("5/s") == (5, 1.0)
    with pytest.raises(ValueError, match="60/min"):
        rate_limit.parse_rate("lots")
