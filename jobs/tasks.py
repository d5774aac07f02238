"""Periodic jobs (procrastinate's cron). Every worker runs the schedule;
procrastinate defers each tick once across all of them."""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app

from .services import jobs_retry_stalled

QUEUE = "periodic"


@app.periodic(cron=settings.B2BBANK_STALLED_SWEEP_CRON)
@app.task(name="jobs.retry_stalled", queue=QUEUE)
async def retry_stalled(timestamp: int) -> None:
    """Jobs of a worker that died mid-job run again elsewhere."""
    await jobs_retry_stalled()
