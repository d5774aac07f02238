"""An offer: the terms a banker puts forward on their track."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.money import money_field
from b2bbank.constraints import PlainConstraintErrors

from .application import (
    CONDITIONS_MAX,
    MAX_AMOUNT,
    MAX_RATE,
    MAX_TERM_MONTHS,
    MIN_AMOUNT,
    MIN_TERM_MONTHS,
    NOTE_MAX,
)
from .track import ApplicationTrack


class OfferStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    NOT_SELECTED = "not_selected", "Not selected"


class Offer(PlainConstraintErrors, models.Model):
    """Terms on a track: amount, annual rate, term, origination fee, conditions
    and an expiry. `monthly_payment` and `apr` are computed once at creation
    (loans.finance) from the stored terms. An open offer past `expires_at` is
    expired whatever `status` says (`effective_status`): expiry is applied when
    read, and a job may record it later."""

    constraint_errors: ClassVar = {
        "loan_offer_status_valid": ("status", "Choose one of the listed options."),
        "loan_offer_fee_below_amount": (
            "origination_fee",
            "The fee can't be negative and must be less than the approved amount.",
        ),
    }

    track = models.ForeignKey(ApplicationTrack, on_delete=models.PROTECT, related_name="offers")
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    approved_amount = money_field(validators=[MinValueValidator(MIN_AMOUNT), MaxValueValidator(MAX_AMOUNT)])
    interest_rate = models.DecimalField(
        max_digits=5,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_RATE)],
        help_text="Annual rate in percent, e.g. 7.250.",
    )
    term_months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_TERM_MONTHS), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    origination_fee = money_field(default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))])
    conditions = models.TextField(blank=True, validators=[MaxLengthValidator(CONDITIONS_MAX)])
    monthly_payment = money_field()
    apr = models.DecimalField(
        max_digits=7, decimal_places=3, help_text="Annual percentage rate, fee included."
    )
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])

    class Meta:
        ordering = ("id",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(status__in=OfferStatus.values), name="loan_offer_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(origination_fee__gte=0, approved_amount__gt=models.F("origination_fee")),
                name="loan_offer_fee_below_amount",
            ),
            models.UniqueConstraint(
                fields=["track"], condition=models.Q(status="open"), name="loan_offer_one_open_per_track"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="loan_offer_expiry")]

    def __str__(self) -> str:
        return f"Offer {self.pk} on {self.track_id} ({self.effective_status})"

    def is_expired_at(self, moment: datetime) -> bool:
        return self.status == OfferStatus.OPEN and self.expires_at <= moment

    @property
    def effective_status(self) -> str:
        """The status as of now: an open offer past its expiry is expired."""
        return OfferStatus.EXPIRED if self.is_expired_at(timezone.now()) else self.status

    @property
    def is_open(self) -> bool:
        return self.effective_status == OfferStatus.OPEN

    @property
    def total_cost(self) -> Decimal:
        """What the loan costs on top of the amount: all payments less the
        amount, plus the fee."""
        return self.monthly_payment * self.term_months - self.approved_amount + self.origination_fee

    @property
    def interest_rate_display(self) -> str:
        """7.250 -> "7.25", 10.000 -> "10" (the rate as a person writes it)."""
        return f"{self.interest_rate:.3f}".rstrip("0").rstrip(".")

    @property
    def apr_display(self) -> str:
        """The APR as disclosed: two decimals, half up (7.436 -> "7.44", 7.5 -> "7.50")."""
        return f"{self.apr.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
