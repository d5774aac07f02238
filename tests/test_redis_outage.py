"""Redis down: every HTTP path keeps working (throttle counters degrade, realtime
pushes are dropped) and no chat message is lost (PostgreSQL has it)."""

from __future__ import annotations

from typing import Any

import pytest
from channels.layers import channel_layers
from django.core.cache import caches
from django.urls import reverse

from accounts.tests.factories import PASSWORD

DEAD = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings.CACHES = {
        "default": {
            "BACKEND": "b2bbank.resilient_cache.ResilientRedisCache",
            "LOCATION": DEAD,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [DEAD]}}
    }
    # Every scope the code uses (anon, user, auth, login, chat_send, ...), generous.
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    caches.close_all()
    channel_layers.backends.clear()
    try:
        yield settings
    finally:
        channel_layers.backends.clear()


def test_throttled_api_pages_and_sign_in_work_without_redis(
    redis_down: Any, api_client: Any, client: Any, owner_a: Any
) -> None:
    token = api_client.post(
        "/api/v1/auth/token/", {"email": owner_a.email, "password": PASSWORD}, format="json"
    )
    assert token.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}")
    assert api_client.get("/api/v1/me/").status_code == 200
    assert api_client.get("/api/v1/bankers/").status_code == 200
    assert api_client.get("/api/v1/applications/").status_code == 200
    assert client.post("/login/", {"username": owner_a.email, "password": PASSWORD}).status_code == 302
    assert client.get(reverse("accounts:owner-home")).status_code == 200
    assert client.get("/healthz").status_code == 503  # the balancer is told; the app still serves


def test_a_message_sent_while_redis_is_down_is_stored_and_in_the_history(
    redis_down: Any,
    api_as: Any,
    owner_a: Any,
    banker_x: Any,
    caplog: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import logging

    from chat import services

    caplog.set_level(logging.DEBUG)
    conversation, _ = services.conversation_start(owner=owner_a, banker_id=banker_x.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = api_as(owner_a).post(
            f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "Still there?"}, format="json"
        )
    assert callbacks, "the message's realtime push was attempted after commit"
    assert sent.status_code == 201
    history = api_as(banker_x).get(f"/api/v1/conversations/{conversation.pk}/messages/").json()
    assert [m["body"] for m in history["results"]] == ["Still there?"]
    assert "realtime publish failed" in caplog.text  # the outage is logged...
    assert "Still there?" not in caplog.text  # ...but never the message itself
