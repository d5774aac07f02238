"""/healthz tells the database, Redis and the job queue apart, with the age of
the oldest waiting job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from jobs.selectors import queue_summary
from notifications import services
from notifications.tasks import send_email
from tests.jobs import jobs

pytestmark = pytest.mark.django_db


def _health(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_the_oldest_waiting_job_and_its_age(client: Client, owner_a: Any) -> None:
    services.notification_create(recipient=owner_a, kind="k", title="one")
    services.notification_create(recipient=owner_a, kind="k", title="two")
    later = timezone.now() + timedelta(seconds=42)
    summary = queue_summary(now=later)
    assert summary.waiting == 2
    assert 41 < (summary.oldest_waiting_seconds or 0) <= 43
    status, body = _health(client)
    assert status == 200
    assert body["job_queue"] == "ok"
    assert body["jobs"]["waiting"] == 2
    assert 0 <= body["jobs"]["oldest_waiting_seconds"] < 5


def test_a_job_scheduled_later_is_not_waiting_yet(owner_a: Any) -> None:
    send_email.configure(schedule_in={"minutes": 5}).defer(notification_id=1)
    assert queue_summary().waiting == 0
    summary = queue_summary(now=timezone.now() + timedelta(minutes=6))
    assert summary.waiting == 1
    assert 50 < (summary.oldest_waiting_seconds or 0) < 70  # waiting since its time came


def test_a_lagging_queue_is_reported_but_the_process_stays_in(
    client: Client, owner_a: Any, settings: Any
) -> None:
    settings.B2BBANK_HEALTH_QUEUE_LAG_SECONDS = -1  # any waiting job is "too old"
    services.notification_create(recipient=owner_a, kind="k", title="one")
    status, body = _health(client)
    assert (status, body["status"], body["job_queue"]) == (200, "ok", "lagging")


@pytest.fixture
def cache_on_redis(settings: Any, request: Any) -> Any:
    def use(location: str) -> None:
        settings.CACHES = {
            "default": {
                "BACKEND": "b2bbank.resilient_cache.ResilientRedisCache",
                "LOCATION": location,
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        caches.close_all()

    yield use
    caches.close_all()


def test_redis_is_checked_when_the_cache_is_on_redis(client: Client, cache_on_redis: Any) -> None:
    cache_on_redis("redis://127.0.0.1:6379/13")
    status, body = _health(client)
    assert (status, body["redis"], body["database"]) == (200, "ok", "ok")


def test_redis_down_is_told_apart_from_the_database_and_the_queue(
    client: Client, cache_on_redis: Any
) -> None:
    cache_on_redis("redis://127.0.0.1:1/0")
    status, body = _health(client)
    assert status == 503
    assert (body["redis"], body["database"], body["job_queue"]) == ("down", "ok", "ok")


def test_a_missing_queue_is_down(client: Client, monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("relation procrastinate_jobs does not exist")

    monkeypatch.setattr("b2bbank.health.queue_summary", broken)
    status, body = _health(client)
    assert (status, body["job_queue"], body["jobs"], body["database"]) == (503, "down", None, "ok")
    assert jobs() == []
