"""Writes to the job queue, through procrastinate's public job manager. A failed
job is retried from admin (procrastinate's "Retry Job" action)."""

from __future__ import annotations

import logging

from django.conf import settings
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


async def jobs_retry_stalled() -> list[int]:
    """Put back in the queue the jobs of workers that stopped writing their
    heartbeat (killed, machine lost): they run again on a live worker."""
    stalled = list(
        await app.job_manager.get_stalled_jobs(
            seconds_since_heartbeat=settings.B2BBANK_WORKER_STALLED_SECONDS
        )
    )
    for job in stalled:
        await app.job_manager.retry_job(job)
    ids = [job.id for job in stalled if job.id is not None]
    if ids:
        logger.warning("retried %d jobs of stalled workers: %s", len(ids), ids)
    return ids
