"""Deferring a job inside the caller's transaction, in every process.

procrastinate's Django app defers through Django's connection, so a job
deferred in a web request commits or rolls back with the change that caused
it. `manage.py procrastinate worker` swaps that app's connector for its own
psycopg pool (for LISTEN/NOTIFY), so a job deferred *by a job* (a reminder's
email) would commit on its own, before the reminder's transaction, and could
run before its notification exists. Deferring through a job manager bound to
Django's connection keeps every insert in the caller's transaction, wherever
it runs."""

from __future__ import annotations

from typing import Any

from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager
from procrastinate.tasks import Task, configure_task

_on_django_connection = JobManager(DjangoConnector())


def defer(task: Task[Any, Any, Any], **task_kwargs: Any) -> int:
    """Defer `task` with its own queue, lock and priority; returns the job id."""
    return configure_task(
        name=task.name,
        job_manager=_on_django_connection,
        queue=task.queue,
        lock=task.lock,
        queueing_lock=task.queueing_lock,
        priority=task.priority,
    ).defer(**task_kwargs)
