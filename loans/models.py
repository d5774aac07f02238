"""Loan applications, their status machine's states and the immutable event timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from accounts.choices import Product
from accounts.money import money_field

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
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


FINAL_STATUSES = frozenset({Status.APPROVED, Status.DECLINED, Status.WITHDRAWN})
WAITING_ON_BANKER = frozenset({Status.SUBMITTED, Status.IN_REVIEW})


class LoanApplicationQuerySet(models.QuerySet["LoanApplication"]):
    def for_owner(self, user: Any) -> LoanApplicationQuerySet:
        return self.filter(owner_id=user.pk)

    def for_banker(self, user: Any) -> LoanApplicationQuerySet:
        # A draft that preselects a banker is still the owner's private business.
        return self.filter(banker_id=user.pk).exclude(status=Status.DRAFT)

    def open(self) -> LoanApplicationQuerySet:
        return self.exclude(status__in=FINAL_STATUSES)


class LoanApplication(models.Model):
    """A business owner's request for credit, sent to one banker. `status` moves
    only through loans.services; the timeline of moves is `events`."""

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

    # Decision: terms on approval, a reason on decline.
    approved_amount = money_field(
        null=True, blank=True, validators=[MinValueValidator(MIN_AMOUNT), MaxValueValidator(MAX_AMOUNT)]
    )
    interest_rate = models.DecimalField(
        max_digits=5,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_RATE)],
        help_text="Annual percentage rate, e.g. 7.250.",
    )
    approved_term_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_TERM_MONTHS), MaxValueValidator(MAX_TERM_MONTHS)],
    )
    conditions = models.TextField(blank=True, validators=[MaxLengthValidator(CONDITIONS_MAX)])
    decline_reason = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])

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
            models.CheckConstraint(
                condition=models.Q(status=Status.DRAFT) | models.Q(banker__isnull=False),
                name="loan_sent_has_banker",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.APPROVED)
                | models.Q(
                    approved_amount__isnull=False,
                    interest_rate__isnull=False,
                    approved_term_months__isnull=False,
                ),
                name="loan_approved_has_terms",
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
    def interest_rate_display(self) -> str:
        """7.250 -> "7.25", 10.000 -> "10" (the rate as a person writes it)."""
        if self.interest_rate is None:
            return ""
        return f"{self.interest_rate:.3f}".rstrip("0").rstrip(".")

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class ApplicationEventQuerySet(models.QuerySet["ApplicationEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Application events are immutable.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Application events are immutable.")


class ApplicationEvent(models.Model):
    """One status move of an application: who, from, to, an optional note, when.
    Rows are only ever inserted (the timeline is an audit record)."""

    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="events")
    # Null when the platform moved the application (a banker's verification was
    # taken away), not a person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
    def actor_name(self) -> str:
        """Who moved it, as the timeline says it."""
        if self.actor is None:
            return "b2bbank"
        return self.actor.get_full_name() or self.actor.email
