"""Loan applications (the owner's request, sent to one to five bankers) and the
immutable event timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from accounts.choices import Product
from accounts.money import money_field
from b2bbank.constraints import PlainConstraintErrors
from b2bbank.display import format_money

# Sane bounds for a B2B loan request; the banker's own min/max narrow them at submit.
MIN_AMOUNT = Decimal("1000.00")
MAX_AMOUNT = Decimal("100000000.00")
MIN_TERM_MONTHS = 1
MAX_TERM_MONTHS = 360
MAX_RATE = Decimal("99.999")
NOTE_MAX = 2000
PURPOSE_MAX = 2000
CONDITIONS_MAX = 5000


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    INFO_REQUESTED = "info_requested", "Information requested"
    APPROVED = "approved", "Approved"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    NOT_SELECTED = "not_selected", "Not selected"


# Nothing more can happen to an application in these. `approved` (an offer is
# open) is not final any more: the owner may accept or decline it.
FINAL_STATUSES = frozenset(
    {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED, Status.NOT_SELECTED}
)
WAITING_ON_BANKER = frozenset({Status.SUBMITTED, Status.IN_REVIEW})


class LoanApplicationQuerySet(models.QuerySet["LoanApplication"]):
    def for_owner(self, user: Any) -> LoanApplicationQuerySet:
        return self.filter(owner_id=user.pk)

    def for_banker(self, user: Any) -> LoanApplicationQuerySet:
        # Only through a live track of theirs: a draft that preselects a banker is
        # still the owner's private business, and a track closed because the
        # banker lost their verification is gone from their view.
        from .track import ApplicationTrack

        tracks = ApplicationTrack.objects.filter(
            application=models.OuterRef("pk"), banker_id=user.pk, released_at__isnull=True
        )
        return self.filter(models.Exists(tracks))

    def open(self) -> LoanApplicationQuerySet:
        return self.exclude(status__in=FINAL_STATUSES)


class LoanApplication(PlainConstraintErrors, models.Model):
    """A business owner's request for credit, sent to one to five bankers, each on
    their own track (`tracks`). `status` is the owner's summary of the tracks
    (loans.transitions.application_status) and moves only through loans.services;
    `banker` is the banker chosen while a draft, or the one banker it was sent
    to. The timeline of moves is `events`."""

    constraint_errors: ClassVar = {
        "loan_status_valid": ("status", "Choose one of the listed options."),
        "loan_product_valid": ("product", "Choose a loan product from the list."),
        "loan_amount_bounds": (
            "amount",
            f"The amount must be between {format_money(MIN_AMOUNT, places=0)} and {format_money(MAX_AMOUNT, places=0)}.",
        ),
        "loan_term_bounds": (
            "term_months",
            f"The term must be between {MIN_TERM_MONTHS} and {MAX_TERM_MONTHS} months.",
        ),
    }

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loan_applications"
    )
    banker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_applications",
    )
    product = models.CharField(max_length=32, choices=Product.choices)
    amount = money_field(validators=[MinValueValidator(MIN_AMOUNT), MaxValueValidator(MAX_AMOUNT)])
    term_months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_TERM_MONTHS), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    purpose = models.TextField(validators=[MaxLengthValidator(PURPOSE_MAX)])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the status last moved: the pipeline shows the longest-waiting first.
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = LoanApplicationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="loan_status_valid"),
            models.CheckConstraint(condition=models.Q(product__in=Product.values), name="loan_product_valid"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=MIN_AMOUNT, amount__lte=MAX_AMOUNT), name="loan_amount_bounds"
            ),
            models.CheckConstraint(
                condition=models.Q(term_months__gte=MIN_TERM_MONTHS, term_months__lte=MAX_TERM_MONTHS),
                name="loan_term_bounds",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="loan_owner_recent"),
            models.Index(fields=["banker", "status", "status_changed_at"], name="loan_banker_pipeline"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return f"LA-{self.pk:06d}" if self.pk else "LA-new"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class ApplicationEventQuerySet(models.QuerySet["ApplicationEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Application events are immutable.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Application events are immutable.")


# Moves whose status alone would not say what happened.
EVENT_HEADLINES: dict[tuple[str, str], str] = {
    (Status.INFO_REQUESTED, Status.IN_REVIEW): "Answer sent",
    (Status.SUBMITTED, Status.IN_REVIEW): "Review started",
    (Status.APPROVED, Status.IN_REVIEW): "Offer withdrawn",
}


class ApplicationEvent(models.Model):
    """One status move of an application: who, from, to, an optional note, when.
    Rows are only ever inserted (the timeline is an audit record)."""

    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="events")
    # Null when the platform moved the application (a banker's verification was
    # taken away), not a person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The banker's track this move happened on (null for moves of the whole
    # request, e.g. withdrawing a draft). A banker sees only their track's events.
    track = models.ForeignKey(
        "loans.ApplicationTrack", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    # In the application's vocabulary (a track's `offered` is `approved`), so a
    # one-banker timeline reads as it always did.
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationEventQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["application", "created_at"], name="loan_event_timeline")]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Application events are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Application events are immutable.")

    @property
    def headline(self) -> str:
        """What happened, as the timeline says it: an answer to a question is
        "Answer sent", not the "In review" it moves the track back to."""
        return EVENT_HEADLINES.get((self.from_status, self.to_status)) or Status(self.to_status).label

    @property
    def actor_name(self) -> str:
        """Who moved it, as the timeline says it."""
        if self.actor is None:
            return "b2bbank"
        return self.actor.get_full_name() or self.actor.email
