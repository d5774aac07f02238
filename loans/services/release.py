"""A banker's verification was taken away: their open work goes back to the
owners (loans.signals calls this on `banker_verification_revoked`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import ApplicationTrack, LoanApplication, OfferStatus, Status, TrackStatus
from .common import audit, live_tracks, move_track, record, refresh_status, tell

RELEASED_NOTE = (
    "The banker you sent this to can no longer take applications on b2bbank, so it is back "
    "in your drafts. Nothing you wrote was lost: choose another banker and submit it again."
)
RELEASED_TRACK_NOTE = (
    "One of the bankers you sent this to can no longer take applications on b2bbank, so their "
    "review (and any offer of theirs) is closed. The other bankers carry on."
)


@transaction.atomic
def applications_release_from_banker(*, banker_id: int, actor: User | None = None) -> list[LoanApplication]:
    """Close each open track of this banker (an open offer of theirs too), with
    a timeline entry by the platform, and tell the owner. An application left
    with no open track goes back to its owner's drafts with no banker, as
    before tracks. Closed tracks stay as they are (the banker keeps read
    access to their history)."""
    ids = (
        ApplicationTrack.objects.filter(banker_id=banker_id, released_at__isnull=True, status__in=_OPEN)
        .values_list("application_id", flat=True)
        .distinct()
    )
    applications = list(LoanApplication.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk"))
    for application in applications:
        _release(application, banker_id, actor)
    return applications


_OPEN = [TrackStatus.SUBMITTED, TrackStatus.IN_REVIEW, TrackStatus.INFO_REQUESTED, TrackStatus.OFFERED]


def _release(application: LoanApplication, banker_id: int, actor: User | None) -> None:
    now = timezone.now()
    tracks = live_tracks(application)
    track = next(t for t in tracks if t.banker_id == banker_id and t.is_open)
    offer = track.current_offer
    if offer is not None and offer.status == OfferStatus.OPEN:
        offer.status, offer.decided_at = OfferStatus.WITHDRAWN, now
        offer.save(update_fields=["status", "decided_at"])
    previous = move_track(track, TrackStatus.WITHDRAWN, now, released_at=now)
    remaining = [t for t in tracks if t.pk != track.pk]
    before = application.status
    back_to_draft = not any(t.is_open for t in remaining)
    if back_to_draft:
        application.status, application.banker_id, application.submitted_at = Status.DRAFT, None, None
        application.status_changed_at = now
        application.decided_at = None
        application.save()
        remaining = []
    else:
        refresh_status(application, remaining, now)
    note = RELEASED_NOTE if back_to_draft else RELEASED_TRACK_NOTE
    to_status = Status.DRAFT if back_to_draft else track.status
    event = record(
        application=application, track=track, actor=None, from_status=previous, to_status=to_status, note=note
    )
    audit(
        actor=actor,
        application=application,
        action="application.released",
        before={"status": before, "banker": banker_id},
        after={"status": application.status, "banker": None},
    )
    title = (
        f"{application.reference} is back in your drafts"
        if back_to_draft
        else f"A banker on {application.reference} can no longer review it"
    )
    tell(
        recipient=application.owner,
        application=application,
        event=event,
        track=None,
        kind="application.released",
        title=title,
        body=note,
    )
