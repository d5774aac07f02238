"""Notification emails go through a durable job: deferred in the caller's
transaction, sent by the worker, retried with backoff when the mail server
fails, and sent at most once."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.delivery import notification_email_send
from notifications.models import Notification
from tests.jobs import jobs, queued_emails, run_jobs, send_queued_emails

SEND = "notifications.send_email"
# Deferring is checked in rolled-back tests; a worker needs committed rows.
in_transaction = pytest.mark.django_db
with_worker = pytest.mark.usefixtures("clean_queue")


class Rollback(Exception):
    pass


@in_transaction
def test_create_defers_an_email_job_in_the_same_transaction(owner_a: Any) -> None:
    notification = services.notification_create(recipient=owner_a, kind="k", title="Approved", link="/x/")
    assert queued_emails() == [{"notification_id": notification.pk}]
    assert mail.outbox == []  # nothing leaves in the request


@in_transaction
def test_a_rolled_back_change_enqueues_nothing_and_sends_nothing(owner_a: Any) -> None:
    def change() -> None:
        with transaction.atomic():
            services.notification_create(recipient=owner_a, kind="k", title="Approved")
            assert len(queued_emails()) == 1  # inside the transaction the job exists...
            raise Rollback

    with pytest.raises(Rollback):
        change()
    assert jobs() == []  # ...and it went with the rollback
    assert send_queued_emails() == 0
    assert mail.outbox == []


@with_worker
def test_the_worker_sends_the_email_once_with_a_link_through_sign_in(owner_a: Any, settings: Any) -> None:
    settings.SITE_URL = "https://bank.example.com"
    notification = services.notification_create(
        recipient=owner_a, kind="k", title="Approved", body="Good news", link="/applications/7/"
    )
    run_jobs()
    (message,) = mail.outbox
    assert message.to == [owner_a.email]
    assert message.subject == "Approved"
    assert "Good news" in message.body
    assert "https://bank.example.com/login/?next=%2Fapplications%2F7%2F" in message.body
    assert message.extra_headers["Message-ID"] == f"<notification-{notification.pk}@bank.example.com>"
    (job,) = jobs(SEND)
    assert (job.status, job.attempts) == ("succeeded", 1)
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    # Run again (an admin retry, a duplicate job): nothing is sent twice.
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


class DownBackend:
    """A mail server that refuses connections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPConnectError(421, "down for maintenance")


class BuggyBackend(DownBackend):
    def send_messages(self, messages: Any) -> int:
        raise ValueError("a bug, not an outage")


@with_worker
def test_a_mail_server_failure_is_retried_with_exponential_backoff(owner_a: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    notification = services.notification_create(recipient=owner_a, kind="k", title="Approved")
    before = timezone.now()
    run_jobs()
    (job,) = jobs(SEND)
    assert (job.status, job.attempts) == ("todo", 1)
    # 3 s after the first failure (B2BBANK_JOB_RETRY_BASE_SECONDS ** 1) ...
    assert timedelta(seconds=2) < job.scheduled_at - before < timedelta(seconds=5)
    run_jobs()  # ... so not yet due: nothing runs
    assert jobs(SEND)[0].attempts == 1
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert Notification.objects.count() == 1  # the in-app notification stands


def test_the_backoff_grows_exponentially() -> None:
    from notifications.tasks import send_email

    strategy = send_email.retry_strategy
    assert strategy is not None
    waits = [strategy.exponential_wait ** (attempt + 1) for attempt in range(4)]  # type: ignore[attr-defined]
    assert waits == [3, 9, 27, 81]
    assert strategy.max_attempts == 12  # type: ignore[attr-defined]


@with_worker
def test_a_bug_fails_the_job_at_once_for_an_admin_to_retry(owner_a: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BuggyBackend"
    services.notification_create(recipient=owner_a, kind="k", title="Approved")
    run_jobs()
    (job,) = jobs(SEND)
    assert (job.status, job.attempts) == ("failed", 1)


@in_transaction
def test_no_email_for_a_recipient_without_an_address(owner_a: Any) -> None:
    owner_a.email = ""
    services.notification_create(recipient=owner_a, kind="k", title="t")
    assert queued_emails() == []


@in_transaction
def test_email_false_stores_the_notification_only(owner_a: Any) -> None:
    services.notification_create(recipient=owner_a, kind="k", title="t", email=False)
    assert queued_emails() == []
    assert Notification.objects.count() == 1
