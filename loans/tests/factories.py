"""factory_boy factories for applications. They write rows directly (any
status) for tests that need a starting state; tests of transitions use services.

`ApplicationFactory(banker=x, status=s)` also writes banker x's track in the
matching track status, and for `approved` (or `accepted`) an offer with the
given terms (`approved_amount`, `interest_rate`, `approved_term_months`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from accounts.choices import Product
from accounts.tests.factories import BankerFactory, OwnerFactory
from loans.finance import offer_figures
from loans.models import ApplicationTrack, LoanApplication, Offer, OfferStatus, Status, TrackStatus

TRACK_STATUS = {Status.APPROVED: TrackStatus.OFFERED}
OFFER_STATUS = {Status.APPROVED: OfferStatus.OPEN, Status.ACCEPTED: OfferStatus.ACCEPTED}


def make_offer(track: ApplicationTrack, *, status: str = OfferStatus.OPEN, **terms: Any) -> Offer:
    """An offer written directly, with its payment and APR computed."""
    amount = Decimal(str(terms.get("approved_amount") or "200000.00"))
    rate = Decimal(str(terms.get("interest_rate") or "7.250"))
    months = int(terms.get("term_months") or 36)
    fee = Decimal(str(terms.get("origination_fee") or "0.00"))
    payment, apr = offer_figures(amount=amount, annual_rate_percent=rate, months=months, fee=fee)
    return Offer.objects.create(
        track=track,
        status=status,
        approved_amount=amount,
        interest_rate=rate,
        term_months=months,
        origination_fee=fee,
        conditions=terms.get("conditions", ""),
        monthly_payment=payment,
        apr=apr,
        expires_at=terms.get("expires_at") or timezone.now() + timedelta(days=14),
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanApplication
        skip_postgeneration_save = True

    owner = factory.SubFactory(OwnerFactory)
    banker = factory.SubFactory(BankerFactory)
    product = Product.TERM_LOAN
    amount = Decimal("250000.00")
    term_months = 36
    purpose = "A second CNC line for a new contract."
    status = Status.SUBMITTED

    @factory.post_generation
    def track(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or self.banker_id is None or self.status in (Status.DRAFT,):
            return
        status = TRACK_STATUS.get(self.status, self.status)
        track = ApplicationTrack.objects.create(application=self, banker_id=self.banker_id, status=status)
        if self.status in OFFER_STATUS:
            params = self._terms  # type: ignore[attr-defined]
            make_offer(track, status=OFFER_STATUS[self.status], **params)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        terms = {
            "approved_amount": kwargs.pop("approved_amount", None),
            "interest_rate": kwargs.pop("interest_rate", None),
            "term_months": kwargs.pop("approved_term_months", None),
        }
        instance = super()._create(model_class, *args, **kwargs)
        instance._terms = terms
        return instance


class DraftFactory(ApplicationFactory):
    status = Status.DRAFT
    banker = None
