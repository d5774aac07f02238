"""A track: one banker's side of an application, with its own status."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from b2bbank.constraints import PlainConstraintErrors

from .application import NOTE_MAX, LoanApplication, Status

if TYPE_CHECKING:
    from .offer import Offer


class TrackStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    INFO_REQUESTED = "info_requested", "Information requested"
    OFFERED = "offered", "Offer made"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_SELECTED = "not_selected", "Not selected"
    EXPIRED = "expired", "Expired"
    ACCEPTED = "accepted", "Accepted"


# The banker still has something to do, or the owner has an offer to decide on.
OPEN_TRACK_STATUSES = frozenset(
    {TrackStatus.SUBMITTED, TrackStatus.IN_REVIEW, TrackStatus.INFO_REQUESTED, TrackStatus.OFFERED}
)


def as_application_status(status: str) -> Status:
    """A track status in the application's vocabulary: `offered` reads as
    `approved` (DESIGN.md: `approved` = an offer is open), the rest as is."""
    return Status.APPROVED if status == TrackStatus.OFFERED else Status(status)


class ApplicationTrack(PlainConstraintErrors, models.Model):
    """One banker's review of an application. Each banker sees only their own
    track; the owner sees all of them. `released_at` is set when the track was
    closed because its banker lost their verification (the banker no longer
    sees it)."""

    constraint_errors: ClassVar = {"loan_track_status_valid": ("status", "Choose one of the listed options.")}

    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="tracks")
    banker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loan_tracks")
    status = models.CharField(max_length=20, choices=TrackStatus.choices, default=TrackStatus.SUBMITTED)
    decline_reason = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    submitted_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("id",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(status__in=TrackStatus.values), name="loan_track_status_valid"
            ),
            models.UniqueConstraint(
                fields=["application", "banker"],
                condition=models.Q(released_at__isnull=True),
                name="loan_track_one_live_per_banker",
            ),
        ]
        indexes = [
            models.Index(fields=["banker", "status", "status_changed_at"], name="loan_track_pipeline"),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · banker {self.banker_id} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRACK_STATUSES

    @property
    def application_status(self) -> Status:
        return as_application_status(self.status)

    @property
    def current_offer(self) -> Offer | None:
        """The track's latest offer (from prefetched `offers` when there)."""
        offers = list(self.offers.all())
        return offers[-1] if offers else None

    @property
    def effective_status(self) -> str:
        """The status as of now: an offered track whose offer ran out is expired."""
        offer = self.current_offer
        if self.status == TrackStatus.OFFERED and offer is not None and offer.is_expired_at(timezone.now()):
            return TrackStatus.EXPIRED
        return self.status
