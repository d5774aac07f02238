"""Selectors for the dashboards: what needs the owner now, and the banker's
work waiting, each a fixed number of queries (pinned in tests). The pages
(accounts.dashboard_views) compose these with documents' and chat's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import (
    FINAL_STATUSES,
    ApplicationEvent,
    ApplicationTrack,
    LoanApplication,
    Offer,
    OfferStatus,
    Status,
    TrackStatus,
)
from .next_steps import owner_next_step
from .reminders import review_due_before
from .selectors import applications_visible_to, open_offers, tracks_for_viewer, viewer_status

# Rows shown in each dashboard list; every list links to the page with all of them.
SHOWN = 10
OWNER_FIRST = {Status.INFO_REQUESTED: 0, Status.APPROVED: 1, Status.DRAFT: 2}


@dataclass
class OwnerRow:
    """One application on the owner's dashboard: its status and next step."""

    application: LoanApplication
    status: Status
    next_step: str


@dataclass
class OwnerWork:
    open_rows: list[OwnerRow]
    closed_rows: list[OwnerRow]
    info_requested: list[LoanApplication]
    to_compare: list[LoanApplication]
    open_total: int

    @property
    def has_applications(self) -> bool:
        return bool(self.open_rows or self.closed_rows)


def owner_work(*, owner: Any) -> OwnerWork:
    """The owner's open applications (all of them, with the tracks they see),
    what of those waits on the owner, and the most recent closed ones.
    Four queries: open applications, their tracks, their offers, closed ones."""
    visible = applications_visible_to(user=owner)
    open_apps = list(visible.exclude(status__in=FINAL_STATUSES))
    closed = applications_visible_to(user=owner, with_tracks=False).filter(status__in=FINAL_STATUSES)
    open_rows, info_requested, to_compare = [], [], []
    for application in open_apps:
        tracks = tracks_for_viewer(owner, application)
        status = viewer_status(owner, application)
        open_rows.append(OwnerRow(application, status, owner_next_step(status)))
        if any(t.effective_status == TrackStatus.INFO_REQUESTED for t in tracks):
            info_requested.append(application)
        if open_offers(tracks):
            to_compare.append(application)
    # What waits on the owner first, then drafts, then what waits on the banks.
    open_rows.sort(key=lambda row: OWNER_FIRST.get(row.status, len(OWNER_FIRST)))
    # The most recent closed ones fill what the open ones leave of the list (three at least).
    closed_shown = max(SHOWN - len(open_rows), 3)
    closed_rows = [
        OwnerRow(a, Status(a.status), owner_next_step(Status(a.status))) for a in closed[:closed_shown]
    ]
    return OwnerWork(open_rows[:SHOWN], closed_rows, info_requested, to_compare, len(open_rows))


@dataclass
class WaitingTrack:
    """A submission on the banker's desk and how long it has waited."""

    track: ApplicationTrack
    waited: timedelta

    @property
    def waited_text(self) -> str:
        days, hours = self.waited.days, self.waited.seconds // 3600
        if days:
            return f"{days} day{'s' if days != 1 else ''} {hours} h"
        return f"{hours} h {(self.waited.seconds // 60) % 60} min"


@dataclass
class BankerWork:
    new_count: int
    oldest_new_at: datetime | None
    overdue_count: int
    overdue: list[WaitingTrack]
    answers: list[ApplicationTrack]
    asked_count: int
    offers: list[Offer]
    offers_count: int
    target_days: int

    @property
    def is_empty(self) -> bool:
        return not (self.new_count or self.answers or self.asked_count or self.offers_count)


def _mine(banker: Any) -> QuerySet[ApplicationTrack]:
    return ApplicationTrack.objects.filter(banker_id=banker.pk, released_at__isnull=True)


def banker_work(*, banker: Any, now: datetime | None = None) -> BankerWork:
    """The banker's desk: new submissions (how many, the oldest, and the ones
    past the review target with their clock), owners' answers to read, and
    offers still open. Four queries."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = review_due_before(now)
    new = Q(status=TrackStatus.SUBMITTED)
    open_offer = Q(offers__status=OfferStatus.OPEN, offers__expires_at__gt=now)
    totals = _mine(banker).aggregate(
        new=Count("id", filter=new, distinct=True),
        oldest=Min("submitted_at", filter=new),
        overdue=Count("id", filter=new & Q(submitted_at__lte=cutoff), distinct=True),
        asked=Count("id", filter=Q(status=TrackStatus.INFO_REQUESTED), distinct=True),
        offers=Count("offers", filter=open_offer & Q(status=TrackStatus.OFFERED), distinct=True),
    )
    with_owner = ("application__owner__owner_profile",)
    overdue = (
        _mine(banker)
        .filter(new, submitted_at__lte=cutoff)
        .select_related(*with_owner)
        .order_by("submitted_at", "id")[:SHOWN]
    )
    last_move = ApplicationEvent.objects.filter(track=OuterRef("pk")).order_by("-created_at", "-id")
    answers = (
        _mine(banker)
        .filter(status=TrackStatus.IN_REVIEW)
        .annotate(last_from=Subquery(last_move.values("from_status")[:1]))
        .filter(last_from=Status.INFO_REQUESTED)
        .select_related(*with_owner)
        .order_by("status_changed_at", "id")[:SHOWN]
    )
    offers = (
        Offer.objects.filter(
            track__banker_id=banker.pk,
            track__released_at__isnull=True,
            track__status=TrackStatus.OFFERED,
            status=OfferStatus.OPEN,
            expires_at__gt=now,
        )
        .select_related("track__application__owner__owner_profile")
        .order_by("expires_at", "id")[:SHOWN]
    )
    return BankerWork(
        new_count=totals["new"],
        oldest_new_at=totals["oldest"],
        overdue_count=totals["overdue"],
        overdue=[WaitingTrack(t, now - t.submitted_at) for t in overdue],
        answers=list(answers),
        asked_count=totals["asked"],
        offers=list(offers),
        offers_count=totals["offers"],
        target_days=settings.B2BBANK_REVIEW_TARGET_BUSINESS_DAYS,
    )
