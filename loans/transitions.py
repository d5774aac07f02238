"""The status machine as data. The actions themselves (who, from which
statuses, to which) are entries of loans.actions.REGISTRY; this module adds
how the owner's summary `status` follows from the tracks (DESIGN.md,
"Several bankers, offers": each banker's track moves on its own)."""

from __future__ import annotations

from collections.abc import Iterable

from .actions import REGISTRY, Action, ActionSpec, open_actions
from .models import Status, TrackStatus
from .models.track import as_application_status

MACHINE: dict[Action, ActionSpec] = REGISTRY

# The owner's summary of the tracks: the first status present wins. An open
# offer matters most to the owner, then a question waiting on them, then work
# waiting on a banker; among closed tracks the owner's own decision first.
_SUMMARY_ORDER = (
    TrackStatus.ACCEPTED,
    TrackStatus.OFFERED,
    TrackStatus.INFO_REQUESTED,
    TrackStatus.IN_REVIEW,
    TrackStatus.SUBMITTED,
    TrackStatus.WITHDRAWN,
    TrackStatus.EXPIRED,
    TrackStatus.DECLINED,
    TrackStatus.NOT_SELECTED,
)


def application_status(track_statuses: Iterable[str], *, current: str) -> Status:
    """The application's status given its live tracks' statuses; with no live
    track it stays what it was (a draft, or a draft withdrawn). With one track
    it is that track's status in the application's vocabulary."""
    present = set(track_statuses)
    for status in _SUMMARY_ORDER:
        if status in present:
            return as_application_status(status)
    return Status(current)


__all__ = ["MACHINE", "Action", "application_status", "open_actions"]
