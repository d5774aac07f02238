"""Writes to the job queue, through procrastinate's public job manager."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

logger = logging.getLogger(__name__)


def job_retry(*, job_id: int) -> bool:
    """Run a failed job again now (what admin's "Retry Job" action does, for
    one job). False when the job is not failed."""
    job = ProcrastinateJob.objects.filter(pk=job_id, status="failed").first()
    if job is None:
        return False
    app.job_manager.retry_job_by_id(job.id, timezone.now(), job.priority, job.queue_name, job.lock)
    return True


async def jobs_retry_stalled() -> list[int]:
    """Put back in the queue the jobs of workers that stopped writing their
    heartbeat (killed, machine lost): they run again on a live worker."""
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.B2BBANK_WORKER_STALLED_SECONDS
    )
    ids = []
    for job in stalled:
        await app.job_manager.retry_job(job)
        ids.append(job.id)
    if ids:
        logger.warning("retried %d jobs of stalled workers: %s", len(ids), ids)
    return [job_id for job_id in ids if job_id is not None]
