"""Periodic jobs (procrastinate's cron): the stalled-job sweep, cleanups and
reminders. Every worker runs the schedule; procrastinate defers each tick once
across all of them."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app

from chat.services import tickets_delete_expired
from documents import reminders as document_reminders
from idempotency.services import idempotent_requests_delete_before
from loans import reminders as loan_reminders
from loans.services import offer_expire, offers_due

from .reminders import Reminder, reminders_send
from .services import jobs_retry_stalled

QUEUE = "periodic"
IDEMPOTENCY_KEYS_KEPT = timedelta(hours=24)
FINISHED_JOBS_KEPT_HOURS = 72

# Every reminder the sweep sends: add one line per new kind (and its `due`
# function in the app that owns the data).
REMINDERS = [
    Reminder("reminder.info_request", loan_reminders.info_requests_unanswered),
    Reminder("reminder.review_overdue", loan_reminders.submissions_not_reviewed),
    Reminder("reminder.offer_expiring", loan_reminders.offers_expiring),
    Reminder("reminder.document_overdue", document_reminders.requests_past_due),
]


def expire_offers_due() -> int:
    """Every open offer past its expiry becomes expired, both parties told; each
    in its own transaction, so one refusal (accepted meanwhile) stops nothing."""
    return sum(1 for offer_id in offers_due() if offer_expire(offer_id=offer_id))


@app.periodic(cron="*/5 * * * *")
@app.task(name="jobs.expire_offers", queue=QUEUE)
async def expire_offers(timestamp: int) -> None:
    """Offers are shown expired as soon as they are (read time); this records it and tells people."""
    await sync_to_async(expire_offers_due)()


@app.periodic(cron=settings.B2BBANK_STALLED_SWEEP_CRON)
@app.task(name="jobs.retry_stalled", queue=QUEUE)
async def retry_stalled(timestamp: int) -> None:
    """Jobs of a worker that died mid-job run again elsewhere."""
    await jobs_retry_stalled()


@app.periodic(cron="*/15 * * * *")
@app.task(name="jobs.send_reminders", queue=QUEUE)
async def send_reminders(timestamp: int) -> None:
    await sync_to_async(reminders_send)(reminders=REMINDERS)


def _cleanup() -> None:
    now = timezone.now()
    tickets_delete_expired(now=now)
    idempotent_requests_delete_before(cutoff=now - IDEMPOTENCY_KEYS_KEPT)
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@app.periodic(cron="17 * * * *")
@app.task(name="jobs.cleanup", queue=QUEUE)
async def cleanup(timestamp: int) -> None:
    """Expired websocket tickets, day-old idempotency keys, expired sessions."""
    await sync_to_async(_cleanup)()


@app.periodic(cron="43 3 * * *")
@app.task(name="jobs.delete_finished", queue=QUEUE)
async def delete_finished(timestamp: int) -> None:
    """Succeeded jobs older than 3 days (failed ones stay until retried)."""
    await app.job_manager.delete_old_jobs(nb_hours=FINISHED_JOBS_KEPT_HOURS)
