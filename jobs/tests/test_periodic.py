"""The periodic jobs: declared on procrastinate's schedule, and what each one
does when a worker runs it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from procrastinate.contrib.django import app

from chat.models import RealtimeTicket
from chat.services import ticket_issue
from idempotency.models import IdempotentRequest
from jobs import tasks
from loans import services
from loans.models import ApplicationTrack
from loans.tests.factories import DraftFactory
from notifications.models import Notification
from tests.jobs import jobs, run_jobs

NOW = int(timezone.now().timestamp())


def test_the_schedule_declares_every_periodic_job() -> None:
    schedule = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert schedule == {
        "jobs.retry_stalled": "* * * * *",
        "jobs.send_reminders": "*/15 * * * *",
        "jobs.cleanup": "17 * * * *",
        "jobs.delete_finished": "43 3 * * *",
        "jobs.expire_offers": "*/5 * * * *",
    }


def _idempotent(user: Any, key: str, age: timedelta) -> IdempotentRequest:
    row = IdempotentRequest.objects.create(user=user, key=key, method="POST", path="/x/", fingerprint="f")
    IdempotentRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


@pytest.mark.usefixtures("clean_queue")
def test_cleanup_drops_expired_tickets_day_old_idempotency_keys_and_expired_sessions(owner_a: Any) -> None:
    _, live_ticket = ticket_issue(user=owner_a)
    _, old_ticket = ticket_issue(user=owner_a)
    RealtimeTicket.objects.filter(pk=old_ticket.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    fresh_key = _idempotent(owner_a, "fresh", timedelta(hours=23))
    _idempotent(owner_a, "stale", timedelta(hours=25))
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.set_expiry(-1)
    expired.create()

    tasks.cleanup.defer(timestamp=NOW)
    run_jobs("periodic")

    assert list(RealtimeTicket.objects.all()) == [live_ticket]
    assert list(IdempotentRequest.objects.all()) == [fresh_key]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert {job.status for job in jobs("jobs.cleanup")} == {"succeeded"}


@pytest.mark.usefixtures("clean_queue")
def test_the_reminder_job_notifies_once_however_often_it_runs(owner_a: Any, banker_x: Any) -> None:
    draft = DraftFactory(owner=owner_a)
    services.application_submit(actor=owner_a, application_id=draft.pk, banker_id=banker_x.pk)
    ApplicationTrack.objects.filter(application=draft).update(submitted_at=timezone.now() - timedelta(days=7))
    for tick in range(3):
        tasks.send_reminders.defer(timestamp=NOW + tick)
        run_jobs("periodic")
    (reminder,) = Notification.objects.filter(kind="reminder.review_overdue")
    assert reminder.recipient_id == banker_x.pk
    # Its email job was deferred by a job, inside that job's transaction.
    assert [job.args for job in jobs("notifications.send_email")][-1] == {"notification_id": reminder.pk}


@pytest.mark.django_db
def test_the_expiry_job_expires_due_offers_once_and_tells_both_parties(owner_a: Any, banker_x: Any) -> None:
    from decimal import Decimal

    from loans.models import Offer, OfferStatus

    draft = DraftFactory(owner=owner_a)
    services.application_submit(actor=owner_a, application_id=draft.pk, banker_id=banker_x.pk)
    services.application_start_review(actor=banker_x, application_id=draft.pk)
    services.application_approve(
        actor=banker_x,
        application_id=draft.pk,
        approved_amount=Decimal("100000.00"),
        interest_rate=Decimal("7.5"),
        term_months=36,
    )
    offer = Offer.objects.get()
    assert tasks.expire_offers_due() == 0  # not due yet
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.expire_offers_due() == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    told = set(Notification.objects.filter(kind="application.expired").values_list("recipient_id", flat=True))
    assert told == {owner_a.pk, banker_x.pk}
    assert tasks.expire_offers_due() == 0  # and never again
