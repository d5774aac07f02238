"""Loans models: an application (the owner's request), its tracks (one per banker
it was sent to, each with its own status), offers on tracks, and the timeline."""

from .application import (
    CONDITIONS_MAX,
    FINAL_STATUSES,
    MAX_AMOUNT,
    MAX_RATE,
    MAX_TERM_MONTHS,
    MIN_AMOUNT,
    MIN_TERM_MONTHS,
    NOTE_MAX,
    PURPOSE_MAX,
    WAITING_ON_BANKER,
    ApplicationEvent,
    LoanApplication,
    Status,
)
from .offer import Offer, OfferStatus
from .track import OPEN_TRACK_STATUSES, ApplicationTrack, TrackStatus

__all__ = [
    "CONDITIONS_MAX",
    "FINAL_STATUSES",
    "MAX_AMOUNT",
    "MAX_RATE",
    "MAX_TERM_MONTHS",
    "MIN_AMOUNT",
    "MIN_TERM_MONTHS",
    "NOTE_MAX",
    "OPEN_TRACK_STATUSES",
    "PURPOSE_MAX",
    "WAITING_ON_BANKER",
    "ApplicationEvent",
    "ApplicationTrack",
    "LoanApplication",
    "Offer",
    "OfferStatus",
    "Status",
    "TrackStatus",
]
