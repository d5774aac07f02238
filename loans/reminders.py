"""What is overdue in the loan pipeline, for the reminder sweep (jobs.reminders):
an info request the owner has not answered for 3 days, a submission a banker
has not started reviewing on their track within 2 business days, and an open offer that
expires within 48 hours."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from accounts.time_zones import local_text
from jobs.reminders import Due

from .models import (
    ApplicationEvent,
    ApplicationTrack,
    LoanApplication,
    Offer,
    OfferStatus,
    Status,
    TrackStatus,
)

INFO_REQUEST_UNANSWERED = timedelta(days=3)
OFFER_EXPIRING_WITHIN = timedelta(hours=48)


def business_days_before(moment: datetime, days: int) -> datetime:
    """`moment` moved back over `days` weekdays (Saturdays and Sundays do not
    count): Monday 10:00 minus 2 is Thursday 10:00."""
    counted = 0
    while counted < days:
        moment -= timedelta(days=1)
        if moment.weekday() < 5:
            counted += 1
    return moment


def review_due_before(now: datetime) -> datetime:
    """Submissions made at or before this moment have missed the platform's
    review target (B2BBANK_REVIEW_TARGET_BUSINESS_DAYS): the reminder and the
    banker's dashboard clock both ask this one function."""
    return business_days_before(now, settings.B2BBANK_REVIEW_TARGET_BUSINESS_DAYS)


def info_requests_unanswered(now: datetime) -> Iterator[Due]:
    """Owners asked a question 3 days ago or more and still not answering; the
    subject is the request's event, so a later request reminds again once."""
    request_event = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=Status.INFO_REQUESTED)
        .order_by("-created_at", "-id")
        .values("id")[:1]
    )
    applications = (
        LoanApplication.objects.filter(
            status=Status.INFO_REQUESTED, status_changed_at__lte=now - INFO_REQUEST_UNANSWERED
        )
        .annotate(request_event_id=Subquery(request_event))
        .select_related("owner")
    )
    for application in applications:
        yield Due(
            subject_id=application.request_event_id,  # type: ignore[attr-defined]
            recipient=application.owner,
            title=f"Your banker is waiting for your answer on {application.reference}",
            body=f"{application.reference} needs information from you before the review can go on.",
            link=reverse("loans:detail", args=[application.pk]),
        )


def submissions_not_reviewed(now: datetime) -> Iterator[Due]:
    """Each banker's track submitted 2 business days ago or more and not yet
    picked up. With several bankers on one application each is reminded about
    their own track, so the subject is the track (submitted only once)."""
    cutoff = review_due_before(now)
    tracks = ApplicationTrack.objects.filter(
        status=TrackStatus.SUBMITTED, submitted_at__lte=cutoff, released_at__isnull=True
    ).select_related("application", "banker")
    for track in tracks:
        reference = track.application.reference
        yield Due(
            subject_id=track.pk,
            recipient=track.banker,
            title=f"{reference} is waiting for your review",
            body=(
                f"{reference} was submitted to you "
                f"{settings.B2BBANK_REVIEW_TARGET_BUSINESS_DAYS} business days ago and is not in review yet."
            ),
            link=reverse("loans:detail", args=[track.application_id]),
        )


def offers_expiring(now: datetime) -> Iterator[Due]:
    """Open offers that expire within 48 hours: the owner hears once per offer,
    while there is still time to compare and accept."""
    offers = Offer.objects.filter(
        status=OfferStatus.OPEN, expires_at__gt=now, expires_at__lte=now + OFFER_EXPIRING_WITHIN
    ).select_related("track__application__owner", "track__banker")
    for offer in offers:
        application = offer.track.application
        banker = offer.track.banker.get_full_name() or "Your banker"
        yield Due(
            subject_id=offer.pk,
            recipient=application.owner,
            title=f"An offer on {application.reference} expires soon",
            body=(
                f"{banker}'s offer on {application.reference} expires on "
                f"{local_text(offer.expires_at, application.owner)}. Compare and accept it before then."
            ),
            link=reverse("loans:detail", args=[application.pk]),
        )
