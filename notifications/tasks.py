"""Notification jobs (procrastinate): deferred by notification_create in the
caller's transaction, run by `manage.py procrastinate worker`."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from procrastinate.contrib.django import app

from jobs.retry import backoff

from . import delivery


# OSError covers refused connections, timeouts and every smtplib error: those are
# retried with backoff. Anything else is a bug: the job fails at once and waits in
# admin for a retry after the fix.
@app.task(name="notifications.send_email", queue="email", retry=backoff(retry_on=(OSError,)))
async def send_email(*, notification_id: int) -> None:
    """Email one notification to its recipient (at most once, see delivery)."""
    # Thread-sensitive, as Django's async ORM is: every job's queries run in one
    # thread whose connection the worker's middleware closes after each job.
    await sync_to_async(delivery.notification_email_send)(notification_id=notification_id)
