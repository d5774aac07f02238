"""Moves on one banker's track: the banker starts a review, asks for
information, makes an offer or declines; the owner answers a question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from b2bbank.domain_errors import InvalidTransition, NotEligible

from ..models import ApplicationEvent, ApplicationTrack, LoanApplication
from ..models.track import as_application_status
from ..transitions import MACHINE, Action
from .common import (
    audit,
    locked,
    move_track,
    record_track_move,
    require_role,
    status_sentence,
    tell,
    tracks_of,
)


@dataclass
class Moved:
    """What a track move leaves behind, for the caller that adds to it."""

    application: LoanApplication
    track: ApplicationTrack
    event: ApplicationEvent


def _pick_track(
    actor: User, tracks: list[ApplicationTrack], action: Action, banker_id: int | None
) -> ApplicationTrack:
    """The banker's own live track; for the owner the banker they name, or the
    only track waiting on them."""
    if actor.role == Role.BANKER:
        return next(t for t in tracks if t.banker_id == actor.pk)  # visibility already checked
    if banker_id is not None:
        track = next((t for t in tracks if t.banker_id == banker_id), None)
        if track is None:
            raise NotEligible("This application was not sent to that banker.", code="banker_unknown")
        return track
    waiting = [t for t in tracks if t.effective_status in MACHINE[action].sources]
    if len(waiting) > 1:
        raise NotEligible(
            "Several bankers are waiting on you: say which one (banker).", code="banker_required"
        )
    return waiting[0] if waiting else tracks[0]


def track_move(
    *,
    actor: User,
    application_id: int,
    action: Action,
    note: str = "",
    banker_id: int | None = None,
    fields: dict[str, Any] | None = None,
) -> Moved:
    """The shared body of a track's move; callers hold the transaction."""
    transition = MACHINE[action]
    require_role(actor, transition.role)
    application = locked(actor=actor, application_id=application_id)
    tracks = tracks_of(application)
    if not tracks:
        raise InvalidTransition(
            f"You cannot {transition.phrase} an application that is {application.get_status_display().lower()}."
        )
    track = _pick_track(actor, tracks, action, banker_id)
    current = track.effective_status
    if current not in transition.sources:
        label = as_application_status(current).label.lower()
        raise InvalidTransition(f"You cannot {transition.phrase} an application that is {label}.")
    now = timezone.now()
    previous = move_track(track, transition.target, now, **(fields or {}))
    event = record_track_move(
        application, tracks, track, actor=actor, previous=previous, note=note, moment=now
    )
    audit(
        actor=actor,
        application=application,
        action="application.status",
        before={"status": as_application_status(previous), "track": track.pk},
        after={
            "status": event.to_status,
            "track": track.pk,
            **{k: str(v) for k, v in (fields or {}).items()},
        },
    )
    return Moved(application, track, event)


def tell_other_party(moved: Moved, action: Action, *, extra: str = "") -> None:
    """The other party of the track hears about the move."""
    application, track, event = moved.application, moved.track, moved.event
    recipient = track.banker if event.actor_id == application.owner_id else application.owner
    body = status_sentence(application, track, recipient)
    if extra:
        body = f"{body}\n\n{extra}"
    if event.note:
        body = f"{body}\n\n{event.note}"
    tell(
        recipient=recipient,
        application=application,
        event=event,
        track=track,
        kind=f"application.{event.to_status}",
        title=f"{event.actor_name} {MACHINE[action].verb} {application.reference}",
        body=body,
    )


def _simple(action: Action, **kwargs: Any) -> LoanApplication:
    moved = track_move(action=action, **kwargs)
    tell_other_party(moved, action)
    return moved.application


@transaction.atomic
def application_start_review(*, actor: User, application_id: int, note: str = "") -> LoanApplication:
    """The banker picks up a submitted application on their track."""
    return _simple(Action.START_REVIEW, actor=actor, application_id=application_id, note=note)


@transaction.atomic
def application_request_info(*, actor: User, application_id: int, note: str) -> LoanApplication:
    """The banker asks the owner a question (the note says what is needed)."""
    if not note.strip():
        raise ValidationError({"note": ["Say what information you need."]})
    return _simple(Action.REQUEST_INFO, actor=actor, application_id=application_id, note=note)


@transaction.atomic
def application_respond(
    *, actor: User, application_id: int, note: str, banker_id: int | None = None
) -> LoanApplication:
    """The owner answers a banker's information request; that banker's review
    resumes. `banker_id` says which banker when several asked."""
    if not note.strip():
        raise ValidationError({"note": ["Write your answer to the banker's request."]})
    return _simple(Action.RESPOND, actor=actor, application_id=application_id, note=note, banker_id=banker_id)


@transaction.atomic
def application_decline(*, actor: User, application_id: int, reason: str, note: str = "") -> LoanApplication:
    """The banker declines on their track, saying why (the owner sees the reason)."""
    if not reason.strip():
        raise ValidationError({"reason": ["Give the reason for declining."]})
    return _simple(
        Action.DECLINE,
        actor=actor,
        application_id=application_id,
        note=note or reason,  # the timeline says why without a second lookup
        fields={"decline_reason": reason},
    )
