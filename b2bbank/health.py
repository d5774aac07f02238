"""/healthz: is this process able to serve? Checks the database, the channel
layer, Redis (when the cache is on Redis) and the job queue; 503 when one of them
is down so a load balancer takes the process out.

A queue that only lags (its oldest waiting job older than
B2BBANK_HEALTH_QUEUE_LAG_SECONDS) is reported as "lagging" with a 200: the
workers are behind, this process still serves, and alerting watches that field."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jobs.selectors import queue_summary

logger = logging.getLogger(__name__)
DOWN = "down"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unavailable")
        return False


async def _layer_roundtrip() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    return message.get("type") == "healthz.ping"


def _channel_layer_ok() -> bool:
    try:
        return async_to_sync(_layer_roundtrip)()
    except Exception:
        logger.exception("health check: channel layer unavailable")
        return False


def _redis() -> str:
    """ "ok", "down", or "not_used" when the cache is not on Redis (one process,
    in-memory cache and channel layer)."""
    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        return "not_used"
    location = cache["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else location
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        with client:
            return "ok" if client.ping() else DOWN
    except redis.RedisError:
        logger.exception("health check: Redis unavailable")
        return DOWN


def _job_queue() -> tuple[str, dict[str, Any] | None]:
    try:
        summary = queue_summary()
    except Exception:
        logger.exception("health check: job queue unavailable")
        return DOWN, None
    oldest = summary.oldest_waiting_seconds
    lagging = oldest is not None and oldest > settings.B2BBANK_HEALTH_QUEUE_LAG_SECONDS
    detail = {
        "waiting": summary.waiting,
        "oldest_waiting_seconds": None if oldest is None else round(oldest, 1),
        "failed": summary.failed,
    }
    return ("lagging" if lagging else "ok"), detail


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    queue_state, queue_detail = _job_queue()
    checks = {
        "database": "ok" if _database_ok() else DOWN,
        "channel_layer": "ok" if _channel_layer_ok() else DOWN,
        "redis": _redis(),
        "job_queue": queue_state,
    }
    healthy = DOWN not in checks.values()
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, "jobs": queue_detail},
        status=200 if healthy else 503,
    )
