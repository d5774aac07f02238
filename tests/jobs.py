"""Jobs in tests, through procrastinate itself.

`run_jobs` runs a real worker in this process until the queue is empty
(`wait=False`), fetching with the same psycopg connector `manage.py procrastinate
worker` uses. That connector has its own connections, so tests that run jobs use
`transactional_db` (committed rows) and the `clean_queue` fixture. Tests that
only look at what was deferred can stay in a rolled-back `django_db` test, and
`send_queued_emails` runs the email job's body inline there."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from notifications.delivery import notification_email_send

SEND_EMAIL = "notifications.send_email"


def run_jobs(*queues: str) -> None:
    """Run every job due now on `queues` (default: the email queue), then return.
    A job's body runs on this thread's Django connection, as thread-sensitive
    code does in a real worker."""

    async def work() -> None:
        async with app.open_async():
            await app.run_worker_async(
                queues=list(queues or ["email"]),
                wait=False,
                install_signal_handlers=False,
                listen_notify=False,
            )

    with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
        async_to_sync(work)()


def jobs(task_name: str | None = None) -> list[ProcrastinateJob]:
    queryset = ProcrastinateJob.objects.order_by("id")
    if task_name:
        queryset = queryset.filter(task_name=task_name)
    return list(queryset)


def purge_jobs() -> None:
    """Forget every job: procrastinate's tables are not Django-managed, so a
    transactional test's flush leaves them behind for the next test."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_workers, procrastinate_periodic_defers "
            "RESTART IDENTITY CASCADE"
        )


def queued_emails() -> list[dict[str, Any]]:
    """The email jobs waiting, as their arguments."""
    return [job.args for job in jobs(SEND_EMAIL) if job.status == "todo"]


def send_queued_emails() -> int:
    """Run the body of every waiting email job here (for `django_db` tests, whose
    rows a worker could not see); returns how many emails went."""
    return sum(notification_email_send(notification_id=args["notification_id"]) for args in queued_emails())
