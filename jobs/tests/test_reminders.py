"""Reminders fire once, when due, and never again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from jobs.models import ReminderSent
from jobs.reminders import reminders_send
from jobs.tasks import REMINDERS
from loans import services
from loans.models import ApplicationTrack, LoanApplication, Status
from loans.reminders import business_days_before
from loans.tests.factories import DraftFactory
from notifications.models import Notification
from tests.jobs import queued_emails

pytestmark = pytest.mark.django_db


def _reminders(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind__startswith="reminder."))


def _asked(owner: Any, banker: Any, days_ago: float) -> LoanApplication:
    draft = DraftFactory(owner=owner)
    services.application_submit(actor=owner, application_id=draft.pk, banker_id=banker.pk)
    services.application_start_review(actor=banker, application_id=draft.pk)
    services.application_request_info(actor=banker, application_id=draft.pk, note="Last year's accounts?")
    LoanApplication.objects.filter(pk=draft.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days_ago)
    )
    return LoanApplication.objects.get(pk=draft.pk)


def test_an_unanswered_info_request_reminds_the_owner_once_after_3_days(owner_a: Any, banker_x: Any) -> None:
    application = _asked(owner_a, banker_x, days_ago=2.9)
    assert reminders_send(reminders=REMINDERS) == 0
    LoanApplication.objects.filter(pk=application.pk).update(
        status_changed_at=timezone.now() - timedelta(days=3, minutes=1)
    )
    emails_before = len(queued_emails())
    assert reminders_send(reminders=REMINDERS) == 1
    (reminder,) = _reminders(owner_a)
    assert reminder.kind == "reminder.info_request"
    assert application.reference in reminder.title
    assert reminder.link == f"/applications/{application.pk}/"
    assert len(queued_emails()) == emails_before + 1  # its email job, in the same transaction
    # The sweep runs every 15 minutes, on every worker: never a second time.
    assert reminders_send(reminders=REMINDERS) == 0
    assert reminders_send(reminders=REMINDERS, now=timezone.now() + timedelta(days=30)) == 0
    assert len(_reminders(owner_a)) == 1
    assert _reminders(banker_x) == []


def test_a_later_info_request_reminds_once_more(owner_a: Any, banker_x: Any) -> None:
    application = _asked(owner_a, banker_x, days_ago=4)
    assert reminders_send(reminders=REMINDERS) == 1
    services.application_respond(actor=owner_a, application_id=application.pk, note="Attached")
    services.application_request_info(actor=banker_x, application_id=application.pk, note="And the plan?")
    assert reminders_send(reminders=REMINDERS) == 0  # the new request is fresh
    LoanApplication.objects.filter(pk=application.pk).update(
        status_changed_at=timezone.now() - timedelta(days=4)
    )
    assert reminders_send(reminders=REMINDERS) == 1
    assert reminders_send(reminders=REMINDERS) == 0
    assert len(_reminders(owner_a)) == 2


def test_an_answered_info_request_reminds_nobody(owner_a: Any, banker_x: Any) -> None:
    application = _asked(owner_a, banker_x, days_ago=1)
    services.application_respond(actor=owner_a, application_id=application.pk, note="Attached")
    LoanApplication.objects.filter(pk=application.pk).update(
        status_changed_at=timezone.now() - timedelta(days=10)
    )
    assert reminders_send(reminders=REMINDERS) == 0
    assert ReminderSent.objects.count() == 0


FRIDAY_10 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def test_an_unreviewed_submission_reminds_the_banker_once_after_2_business_days(
    owner_a: Any, banker_x: Any
) -> None:
    draft = DraftFactory(owner=owner_a)
    services.application_submit(actor=owner_a, application_id=draft.pk, banker_id=banker_x.pk)
    ApplicationTrack.objects.filter(application=draft).update(submitted_at=FRIDAY_10)
    monday_11 = FRIDAY_10 + timedelta(days=3, hours=1)  # one business day (Monday) has passed
    assert reminders_send(reminders=REMINDERS, now=monday_11) == 0
    tuesday_10 = FRIDAY_10 + timedelta(days=4)
    assert reminders_send(reminders=REMINDERS, now=tuesday_10) == 1
    (reminder,) = _reminders(banker_x)
    assert reminder.kind == "reminder.review_overdue"
    assert reminders_send(reminders=REMINDERS, now=tuesday_10 + timedelta(days=7)) == 0
    assert len(_reminders(banker_x)) == 1
    assert _reminders(owner_a) == []


def test_each_banker_is_reminded_about_their_own_track_only_while_it_waits(
    owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    draft = DraftFactory(owner=owner_a)
    services.application_submit(actor=owner_a, application_id=draft.pk, banker_ids=[banker_x.pk, banker_y.pk])
    ApplicationTrack.objects.filter(application=draft).update(submitted_at=FRIDAY_10)
    LoanApplication.objects.filter(pk=draft.pk).update(submitted_at=FRIDAY_10)
    services.application_start_review(actor=banker_x, application_id=draft.pk)
    # The application reads "in review" now (banker X's track), but Y's track still waits.
    assert reminders_send(reminders=REMINDERS, now=FRIDAY_10 + timedelta(days=4)) == 1
    assert _reminders(banker_x) == []
    (reminder,) = _reminders(banker_y)
    assert reminder.kind == "reminder.review_overdue"
    assert reminder.title == f"{draft.reference} is waiting for your review"


def test_a_submission_in_review_reminds_nobody(owner_a: Any, banker_x: Any) -> None:
    draft = DraftFactory(owner=owner_a)
    services.application_submit(actor=owner_a, application_id=draft.pk, banker_id=banker_x.pk)
    services.application_start_review(actor=banker_x, application_id=draft.pk)
    LoanApplication.objects.filter(pk=draft.pk).update(submitted_at=FRIDAY_10)
    assert reminders_send(reminders=REMINDERS, now=FRIDAY_10 + timedelta(days=30)) == 0


def test_business_days_skip_the_weekend() -> None:
    monday_10 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert business_days_before(monday_10, 2) == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # Thursday
    sunday_10 = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    assert business_days_before(sunday_10, 2) == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    wednesday_10 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert business_days_before(wednesday_10, 2) == monday_10


def _offered(owner: Any, banker: Any, expires_at: datetime) -> Any:
    from decimal import Decimal

    from loans.models import Offer

    draft = DraftFactory(owner=owner)
    services.application_submit(actor=owner, application_id=draft.pk, banker_id=banker.pk)
    services.application_start_review(actor=banker, application_id=draft.pk)
    services.application_approve(
        actor=banker,
        application_id=draft.pk,
        approved_amount=Decimal("100000.00"),
        interest_rate=Decimal("7.5"),
        term_months=36,
    )
    offer = Offer.objects.get(track__application=draft)
    Offer.objects.filter(pk=offer.pk).update(expires_at=expires_at)
    return offer


def test_an_offer_expiring_within_48_hours_reminds_the_owner_once(owner_a: Any, banker_x: Any) -> None:
    now = timezone.now()
    _offered(owner_a, banker_x, expires_at=now + timedelta(hours=60))
    assert reminders_send(reminders=REMINDERS, now=now) == 0  # not yet within 48 hours
    assert reminders_send(reminders=REMINDERS, now=now + timedelta(hours=13)) == 1
    (reminder,) = _reminders(owner_a)
    assert reminder.kind == "reminder.offer_expiring"
    assert "expires on" in reminder.body
    assert reminders_send(reminders=REMINDERS, now=now + timedelta(hours=30)) == 0
    assert len(_reminders(owner_a)) == 1
    assert _reminders(banker_x) == []


def test_an_expired_offer_reminds_nobody(owner_a: Any, banker_x: Any) -> None:
    now = timezone.now()
    _offered(owner_a, banker_x, expires_at=now - timedelta(hours=1))
    assert reminders_send(reminders=REMINDERS, now=now) == 0


def test_a_document_request_past_its_due_date_reminds_the_owner_once(owner_a: Any, banker_x: Any) -> None:
    from documents.tests.factories import DocumentRequestFactory
    from loans.tests.factories import ApplicationFactory

    # In review: the banker's own reminder (an unreviewed submission) is not this test's.
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    today = timezone.localdate()
    request = DocumentRequestFactory(application=application, due_date=today + timedelta(days=2))
    assert reminders_send(reminders=REMINDERS, now=timezone.now()) == 0
    later = timezone.now() + timedelta(days=3)
    assert reminders_send(reminders=REMINDERS, now=later) == 1
    (reminder,) = _reminders(owner_a)
    assert (reminder.kind, ReminderSent.objects.get(kind=reminder.kind).subject_id) == (
        "reminder.document_overdue",
        request.pk,
    )
    assert reminders_send(reminders=REMINDERS, now=later + timedelta(days=5)) == 0
    assert len(_reminders(owner_a)) == 1
