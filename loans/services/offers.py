"""Offers: a banker makes one (approve) or withdraws it; the owner accepts one
(every other open track is not selected) or declines it; expiry closes the
ones nobody acted on. All under the application's row lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from b2bbank.display import format_money
from b2bbank.domain_errors import InvalidTransition, NotFound

from ..finance import offer_figures
from ..models import ApplicationTrack, LoanApplication, Offer, OfferStatus, TrackStatus
from ..transitions import Action
from .common import (
    audit,
    locked,
    move_track,
    offer_terms,
    record,
    record_track_move,
    require_role,
    tell,
    tracks_of,
)
from .tracks import Moved, tell_other_party, track_move


@dataclass(frozen=True)
class Terms:
    """What a banker offers."""

    approved_amount: Decimal
    interest_rate: Decimal
    term_months: int
    origination_fee: Decimal = Decimal("0.00")
    conditions: str = ""
    expires_at: datetime | None = None


def _bounds_problems(application: LoanApplication, terms: Terms, now: datetime) -> list[tuple[str, str, str]]:
    """(field, code, message) for each platform bound these terms break; the
    refusal names each field (400 with field errors)."""
    max_rate = Decimal(settings.B2BBANK_OFFER_MAX_RATE)
    max_fee = (terms.approved_amount * Decimal(settings.B2BBANK_OFFER_MAX_FEE_PERCENT) / 100).quantize(
        Decimal("0.01")
    )
    low_term, high_term = settings.B2BBANK_OFFER_MIN_TERM_MONTHS, settings.B2BBANK_OFFER_MAX_TERM_MONTHS
    latest = now + timedelta(days=settings.B2BBANK_OFFER_MAX_EXPIRY_DAYS)
    expires = terms.expires_at
    checks = [
        (
            terms.approved_amount > application.amount,
            "approved_amount",
            "amount_above_request",
            f"The approved amount is above the {format_money(application.amount)} requested.",
        ),
        (
            not 0 <= terms.interest_rate <= max_rate,
            "interest_rate",
            "rate_out_of_bounds",
            f"The rate must be between 0 and {max_rate}% per year.",
        ),
        (
            not 0 <= terms.origination_fee <= max_fee,
            "origination_fee",
            "fee_out_of_bounds",
            f"The fee must be between 0 and {settings.B2BBANK_OFFER_MAX_FEE_PERCENT}% of the amount ({format_money(max_fee)}).",
        ),
        (
            not low_term <= terms.term_months <= high_term,
            "term_months",
            "term_out_of_bounds",
            f"The term must be between {low_term} and {high_term} months.",
        ),
        (
            expires is not None and not now < expires <= latest,
            "expires_at",
            "expiry_out_of_bounds",
            f"The offer must expire in the future and within {settings.B2BBANK_OFFER_MAX_EXPIRY_DAYS} days.",
        ),
    ]
    return [(name, code, text) for failed, name, code, text in checks if failed]


def _new_offer(track: ApplicationTrack, terms: Terms, now: datetime) -> Offer:
    payment, apr = offer_figures(
        amount=terms.approved_amount,
        annual_rate_percent=terms.interest_rate,
        months=terms.term_months,
        fee=terms.origination_fee,
    )
    offer = Offer(
        track=track,
        approved_amount=terms.approved_amount,
        interest_rate=terms.interest_rate,
        term_months=terms.term_months,
        origination_fee=terms.origination_fee,
        conditions=terms.conditions,
        monthly_payment=payment,
        apr=apr,
        expires_at=terms.expires_at or now + timedelta(days=settings.B2BBANK_OFFER_EXPIRY_DAYS),
    )
    offer.full_clean(exclude=["track"], validate_constraints=False)
    offer.save()
    return offer


@transaction.atomic
def application_approve(
    *,
    actor: User,
    application_id: int,
    approved_amount: Decimal,
    interest_rate: Decimal,
    term_months: int,
    origination_fee: Decimal = Decimal("0.00"),
    conditions: str = "",
    expires_at: datetime | None = None,
    note: str = "",
) -> LoanApplication:
    """The banker makes an offer on their track: amount (at most the request),
    annual rate, term, fee, conditions and expiry within the platform's bounds.
    The owner sees the monthly payment and the APR with it."""
    terms = Terms(approved_amount, interest_rate, term_months, origination_fee, conditions, expires_at)
    moved = track_move(actor=actor, application_id=application_id, action=Action.APPROVE, note=note)
    problems = _bounds_problems(moved.application, terms, timezone.now())
    if problems:
        raise ValidationError({name: [text] for name, _, text in problems})
    offer = _new_offer(moved.track, terms, timezone.now())
    vars(moved.track).pop("_prefetched_objects_cache", None)  # the new offer is now the current one
    tell_other_party(moved, Action.APPROVE, extra=offer_terms(offer, reader=moved.application.owner))
    return moved.application


def _offer_on(tracks: list[ApplicationTrack], offer_id: int) -> tuple[ApplicationTrack, Offer]:
    for track in tracks:
        for offer in track.offers.all():
            if offer.pk == offer_id:
                return track, offer
    raise NotFound("No such offer.")


def _refuse_unless_open(offer: Offer, verb: str) -> None:
    status = offer.effective_status
    if status != OfferStatus.OPEN:
        raise InvalidTransition(
            f"This offer is {OfferStatus(status).label.lower()}, so you cannot {verb} it.",
            code=f"offer_{status}",
        )


def _close_offer(offer: Offer, status: str, now: datetime, reason: str = "") -> None:
    offer.status = status
    offer.decided_at = now
    offer.decline_reason = reason
    offer.save(update_fields=["status", "decided_at", "decline_reason"])


def _locked_offer(
    actor: User, application_id: int, offer_id: int, role: Role
) -> tuple[LoanApplication, list[ApplicationTrack], ApplicationTrack, Offer]:
    require_role(actor, role)
    application = locked(actor=actor, application_id=application_id)
    tracks = tracks_of(application)
    visible = tracks if role == Role.BUSINESS_OWNER else [t for t in tracks if t.banker_id == actor.pk]
    track, offer = _offer_on(visible, offer_id)
    return application, tracks, track, offer


def _finish(
    application: LoanApplication,
    tracks: list[ApplicationTrack],
    track: ApplicationTrack,
    actor: User | None,
    previous: str,
    note: str,
    now: datetime,
) -> Moved:
    event = record_track_move(
        application, tracks, track, actor=actor, previous=previous, note=note, moment=now
    )
    audit(
        actor=actor,
        application=application,
        action="application.offer",
        before={"track": track.pk, "status": previous},
        after={"track": track.pk, "status": track.status},
    )
    return Moved(application, track, event)


@transaction.atomic
def offer_accept(*, actor: User, application_id: int, offer_id: int, note: str = "") -> LoanApplication:
    """The owner accepts one open offer: in one transaction the application is
    accepted, that track accepted, and every other open track not selected
    (its open offer too), each banker told. Not open (accepted, withdrawn,
    declined, expired): 409."""
    application, tracks, track, offer = _locked_offer(actor, application_id, offer_id, Role.BUSINESS_OWNER)
    _refuse_unless_open(offer, "accept")
    now = timezone.now()
    _close_offer(offer, OfferStatus.ACCEPTED, now)
    previous = move_track(track, TrackStatus.ACCEPTED, now)
    others = [(t, _not_selected(t, now)) for t in tracks if t.pk != track.pk and t.is_open]
    moved = _finish(application, tracks, track, actor, previous, note, now)
    tell_other_party(moved, Action.OFFER_ACCEPT, extra=offer_terms(offer, reader=moved.track.banker))
    for other, before in others:
        event = record(
            application=application, track=other, actor=actor, from_status=before, to_status=other.status
        )
        tell(
            recipient=other.banker,
            application=application,
            event=event,
            track=other,
            kind="application.not_selected",
            title=f"{application.reference}: the applicant chose another offer",
            body=f"{application.reference} is closed for you: the applicant accepted another banker's offer.",
        )
    return application


def _not_selected(track: ApplicationTrack, now: datetime) -> str:
    """Close another open track: not selected, or expired if its offer ran out."""
    offer = track.current_offer
    if offer is not None and offer.is_expired_at(now):
        _close_offer(offer, OfferStatus.EXPIRED, now)
        return move_track(track, TrackStatus.EXPIRED, now)
    if offer is not None and offer.status == OfferStatus.OPEN:
        _close_offer(offer, OfferStatus.NOT_SELECTED, now)
    return move_track(track, TrackStatus.NOT_SELECTED, now)


@transaction.atomic
def offer_decline(*, actor: User, application_id: int, offer_id: int, reason: str = "") -> LoanApplication:
    """The owner declines an open offer, optionally saying why; that track
    closes as declined and its banker is told."""
    application, tracks, track, offer = _locked_offer(actor, application_id, offer_id, Role.BUSINESS_OWNER)
    _refuse_unless_open(offer, "decline")
    now = timezone.now()
    _close_offer(offer, OfferStatus.DECLINED, now, reason)
    previous = move_track(track, TrackStatus.DECLINED, now)
    moved = _finish(application, tracks, track, actor, previous, reason, now)
    tell_other_party(moved, Action.OFFER_DECLINE)
    return application


@transaction.atomic
def offer_withdraw(*, actor: User, application_id: int, offer_id: int, note: str = "") -> LoanApplication:
    """The banker takes back their open offer before it is accepted; their
    track goes back to review (they may offer again or decline)."""
    application, tracks, track, offer = _locked_offer(actor, application_id, offer_id, Role.BANKER)
    _refuse_unless_open(offer, "withdraw")
    now = timezone.now()
    _close_offer(offer, OfferStatus.WITHDRAWN, now)
    previous = move_track(track, TrackStatus.IN_REVIEW, now)
    moved = _finish(application, tracks, track, actor, previous, note, now)
    tell_other_party(moved, Action.OFFER_WITHDRAW)
    return application


EXPIRED_NOTE = "The offer expired before it was accepted."


@transaction.atomic
def offer_expire(*, offer_id: int, now: datetime | None = None) -> bool:
    """Record that an open offer ran out: offer and track expired, the
    application's summary updated, both parties told. False when it is no
    longer open or not due (accepted first, withdrawn...). The job of issue
    "durable background work" calls this for each due offer."""
    moment = now or timezone.now()
    application_id = Offer.objects.filter(pk=offer_id).values_list("track__application_id", flat=True).first()
    if application_id is None:
        return False
    application = LoanApplication.objects.select_for_update().get(pk=application_id)
    tracks = tracks_of(application)
    try:
        track, offer = _offer_on(tracks, offer_id)
    except NotFound:
        return False
    if not offer.is_expired_at(moment) or track.status != TrackStatus.OFFERED:
        return False
    _close_offer(offer, OfferStatus.EXPIRED, moment)
    previous = move_track(track, TrackStatus.EXPIRED, moment)
    moved = _finish(application, tracks, track, None, previous, EXPIRED_NOTE, moment)
    for recipient in (application.owner, track.banker):
        tell(
            recipient=recipient,
            application=application,
            event=moved.event,
            track=track,
            kind="application.expired",
            title=f"An offer on {application.reference} expired",
            body=EXPIRED_NOTE,
        )
    return True


def offers_due(*, now: datetime | None = None) -> list[int]:
    """Open offers past their expiry, oldest first (for the expiry job)."""
    moment = now or timezone.now()
    return list(
        Offer.objects.filter(status=OfferStatus.OPEN, expires_at__lte=moment)
        .order_by("expires_at")
        .values_list("pk", flat=True)
    )
