"""Selectors for the pipeline charts over the last 12 weeks: applications
received per week, time to first review (median and 90th percentile, computed
by PostgreSQL's percentile_cont), the funnel from submitted to accepted, the
decline reasons and, for staff, the bankers active each week.

`banker` scopes every figure to that banker's own live tracks; None is the
whole platform (staff). One query per figure (pinned in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Lower, Trim, TruncWeek
from django.utils import timezone

from accounts.choices import Role
from b2bbank.percentiles import PercentileCont

from .models import ApplicationEvent, ApplicationTrack, Offer, Status, TrackStatus

WEEKS = 12
TOP_REASONS = 6
NO_REASON = "No reason given"
# A track counts as reviewed once its banker moved it out of `submitted`
# (started the review, or declined straight away).
REVIEWED = (Status.IN_REVIEW, Status.DECLINED)


def weeks_ending(now: datetime) -> list[date]:
    """The Mondays starting the last WEEKS weeks (UTC), this week last."""
    this_monday = (now - timedelta(days=now.weekday())).date()
    return [this_monday - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def _since(now: datetime) -> datetime:
    first = weeks_ending(now)[0]
    return datetime(first.year, first.month, first.day, tzinfo=timezone.get_current_timezone())


def _tracks(banker: Any | None) -> QuerySet[ApplicationTrack]:
    if banker is None:
        return ApplicationTrack.objects.all()
    return ApplicationTrack.objects.filter(banker_id=banker.pk, released_at__isnull=True)


def _first_review() -> Subquery:
    moves = ApplicationEvent.objects.filter(
        track=OuterRef("pk"), from_status=Status.SUBMITTED, to_status__in=REVIEWED
    ).order_by("created_at", "id")
    return Subquery(moves.values("created_at")[:1])


def _by_week(rows: Any, now: datetime) -> dict[date, Any]:
    weeks = set(weeks_ending(now))
    return {row["week"].date(): row for row in rows if row["week"].date() in weeks}


def received_per_week(*, banker: Any | None, now: datetime) -> list[tuple[date, int]]:
    """Applications that reached the banker (or the platform) each week."""
    rows = (
        _tracks(banker)
        .filter(submitted_at__gte=_since(now))
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(n=Count("application_id", distinct=True))
        .order_by("week")
    )
    found = _by_week(rows, now)
    return [(week, found[week]["n"] if week in found else 0) for week in weeks_ending(now)]


@dataclass(frozen=True)
class ReviewWeek:
    week: date
    reviewed: int
    median_hours: float | None
    p90_hours: float | None


def review_times(*, banker: Any | None, now: datetime) -> list[ReviewWeek]:
    """Hours from submission to the banker's first move, by week of submission:
    the median and the 90th percentile of the tracks reviewed so far."""
    wait = ExpressionWrapper(F("first_review") - F("submitted_at"), output_field=DurationField())
    rows = (
        _tracks(banker)
        .filter(submitted_at__gte=_since(now))
        .annotate(first_review=_first_review())
        .filter(first_review__isnull=False)
        .annotate(week=TruncWeek("submitted_at"), wait=wait)
        .values("week")
        .annotate(
            n=Count("id"),
            median=PercentileCont("wait", fraction=0.5, output_field=DurationField()),
            p90=PercentileCont("wait", fraction=0.9, output_field=DurationField()),
        )
        .order_by("week")
    )
    found = _by_week(rows, now)

    def hours(value: timedelta | None) -> float | None:
        return None if value is None else round(value.total_seconds() / 3600, 1)

    return [
        ReviewWeek(week, found[week]["n"], hours(found[week]["median"]), hours(found[week]["p90"]))
        if week in found
        else ReviewWeek(week, 0, None, None)
        for week in weeks_ending(now)
    ]


def funnel(*, banker: Any | None, now: datetime) -> list[tuple[str, int]]:
    """Of the tracks submitted in the window: how many were reviewed, offered,
    accepted (each a subset of the one before, as the status machine runs)."""
    reviewed = ApplicationEvent.objects.filter(
        track=OuterRef("pk"), from_status=Status.SUBMITTED, to_status__in=REVIEWED
    )
    offered = Offer.objects.filter(track=OuterRef("pk"))
    totals = (
        _tracks(banker)
        .filter(submitted_at__gte=_since(now))
        .aggregate(
            submitted=Count("id"),
            reviewed=Count("id", filter=Q(Exists(reviewed))),
            offered=Count("id", filter=Q(Exists(offered))),
            accepted=Count("id", filter=Q(status=TrackStatus.ACCEPTED)),
        )
    )
    labels = (
        ("submitted", "Submitted"),
        ("reviewed", "Reviewed"),
        ("offered", "Offered"),
        ("accepted", "Accepted"),
    )
    return [(label, totals[key]) for key, label in labels]


def decline_reasons(*, banker: Any | None, now: datetime) -> list[tuple[str, int]]:
    """Reasons given for declines in the window, the same words counted
    together whatever their case or spacing; the most frequent TOP_REASONS,
    the rest as "Other reasons"."""
    rows = list(
        _tracks(banker)
        .filter(status=TrackStatus.DECLINED, decided_at__gte=_since(now))
        .annotate(key=Lower(Trim("decline_reason")))
        .values("key")
        .annotate(n=Count("id"), label=Min(Trim("decline_reason")))
        .order_by("-n", "key")
    )
    shown = [(row["label"] or NO_REASON, row["n"]) for row in rows[:TOP_REASONS]]
    rest = sum(row["n"] for row in rows[TOP_REASONS:])
    return [*shown, ("Other reasons", rest)] if rest else shown


def active_bankers(*, now: datetime) -> list[tuple[date, int]]:
    """Bankers who moved at least one application each week (platform only)."""
    rows = (
        ApplicationEvent.objects.filter(created_at__gte=_since(now), actor__role=Role.BANKER)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("actor_id", distinct=True))
        .order_by("week")
    )
    found = _by_week(rows, now)
    return [(week, found[week]["n"] if week in found else 0) for week in weeks_ending(now)]
