"""What every loans write shares: the role guard, the locked row, the event,
the audit row and telling the other party (in the app, by email, on sockets)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import has_role, is_banker
from accounts.selectors import banker_is_verified
from accounts.time_zones import local_text
from audit.services import audit_log
from b2bbank.display import format_money
from b2bbank.domain_errors import Forbidden, NotFound
from b2bbank.realtime import publish_on_commit
from notifications.services import notification_create

from ..models import ApplicationEvent, ApplicationTrack, LoanApplication, Offer, Status
from ..models.track import as_application_status
from ..permissions import can_view_application
from ..transitions import application_status


def require_role(actor: User, role: Role) -> None:
    """The role guard of every write, verification included: a banker whose
    verification was taken away keeps their sign-in but may not act."""
    if not has_role(actor, role):
        raise Forbidden(
            "Only business owners can do this."
            if role == Role.BUSINESS_OWNER
            else "Only bankers can do this."
        )
    if role == Role.BANKER and not banker_is_verified(user_id=actor.pk):
        raise Forbidden(
            "Your banker profile is not verified, so you cannot act on applications.",
            code="banker_not_verified",
        )


def locked(*, actor: User, application_id: int) -> LoanApplication:
    """The application row, locked: every move on it or its tracks and offers
    serializes here, so two racing actions never both win. A banker's
    visibility is checked against the live tracks, read once here (and kept
    on the instance as `locked_tracks` for the caller)."""
    application = LoanApplication.objects.select_for_update().filter(pk=application_id).first()
    if application is None:
        raise NotFound("No such application.")
    if is_banker(actor):
        tracks = live_tracks(application)
        mine = application.status != Status.DRAFT and any(t.banker_id == actor.pk for t in tracks)
        application.locked_tracks = tracks  # type: ignore[attr-defined]
        if not mine:
            raise NotFound("No such application.")
    elif not can_view_application(actor, application):
        raise NotFound("No such application.")
    return application


def tracks_of(application: LoanApplication) -> list[ApplicationTrack]:
    """The live tracks of a locked application (read once per transaction)."""
    cached = getattr(application, "locked_tracks", None)
    if cached is None:
        cached = live_tracks(application)
        application.locked_tracks = cached  # type: ignore[attr-defined]
    return cached


def live_tracks(application: LoanApplication) -> list[ApplicationTrack]:
    """The application's live tracks with their offers, under the row lock."""
    return list(
        ApplicationTrack.objects.filter(application=application, released_at__isnull=True)
        .select_related("banker")
        .prefetch_related(Prefetch("offers", queryset=Offer.objects.order_by("id")))
        .order_by("id")
    )


def refresh_status(application: LoanApplication, tracks: list[ApplicationTrack], moment: Any) -> None:
    """Recompute the owner's summary from the tracks and store it."""
    status = application_status((t.status for t in tracks), current=application.status)
    if status != application.status:
        application.status = status
        application.status_changed_at = moment
        application.decided_at = moment if application.is_final else None
    application.save()


def move_track(track: ApplicationTrack, status: str, moment: Any, **fields: Any) -> str:
    """Move a track (and set any other fields); return where it was."""
    previous = track.status
    track.status = status
    track.status_changed_at = moment
    track.decided_at = None if track.is_open else moment
    for name, value in fields.items():
        setattr(track, name, value)
    track.full_clean(exclude=["application", "banker"], validate_constraints=False)
    track.save()
    return previous


def record(
    *,
    application: LoanApplication,
    track: ApplicationTrack | None,
    actor: User | None,
    from_status: str,
    to_status: str,
    note: str = "",
) -> ApplicationEvent:
    """One timeline row, in the application's vocabulary."""
    event = ApplicationEvent(
        application=application,
        track=track,
        actor=actor,
        from_status=as_application_status(from_status),
        to_status=as_application_status(to_status),
        note=note,
    )
    event.full_clean(exclude=["application", "actor", "track"], validate_constraints=False)
    event.save()
    return event


def record_track_move(
    application: LoanApplication,
    tracks: list[ApplicationTrack],
    track: ApplicationTrack,
    *,
    actor: User | None,
    previous: str,
    note: str,
    moment: Any,
) -> ApplicationEvent:
    """After a track moved: the owner's summary follows the tracks, and the
    move goes on the timeline (on that track)."""
    refresh_status(application, tracks, moment)
    return record(
        application=application,
        track=track,
        actor=actor,
        from_status=previous,
        to_status=track.status,
        note=note,
    )


def audit(*, actor: User | None, application: LoanApplication, action: str, before: Any, after: Any) -> None:
    audit_log(action=action, actor=actor, target=application, before=before, after=after)


def status_frame(
    application: LoanApplication, event: ApplicationEvent, *, status: str, track: ApplicationTrack | None
) -> dict[str, Any]:
    """The `application.status` frame (DESIGN.md, Realtime), per recipient:
    `status` as that recipient sees the application, plus the moved `track`
    {id, status} and its current `offer` {id, status} when there is one."""
    offer = track.current_offer if track is not None else None
    return {
        "type": "application.status",
        "application": application.pk,
        "status": status,
        "track": None if track is None else {"id": track.pk, "status": track.status},
        "offer": None if offer is None else {"id": offer.pk, "status": offer.status},
        "event": {
            "id": event.pk,
            "actor": event.actor_id,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "note": event.note,
            "created_at": event.created_at.isoformat(),
        },
    }


def tell(
    *,
    recipient: User,
    application: LoanApplication,
    event: ApplicationEvent,
    track: ApplicationTrack | None,
    kind: str,
    title: str,
    body: str,
) -> None:
    """A notification (and its email) and a frame for one party. The banker's
    frame carries their track's status, never the owner's summary."""
    notification_create(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        link=reverse("loans:detail", args=[application.pk]),
    )
    status = application.status
    if track is not None and recipient.pk == track.banker_id:
        status = as_application_status(track.status)
    publish_on_commit([recipient.pk], status_frame(application, event, status=status, track=track))


# What a status means, as a sentence a person would write ("LA-000002 is now
# information requested" read like a database field).
STATUS_SENTENCES = {
    Status.DRAFT: "{reference} is a draft again.",
    Status.SUBMITTED: "{reference} has been sent for review.",
    Status.IN_REVIEW: "{reference} is being reviewed.",
    Status.INFO_REQUESTED: "{reference} needs more information before the review can go on.",
    Status.APPROVED: "{reference} has an offer.",
    Status.ACCEPTED: "The offer on {reference} has been accepted.",
    Status.DECLINED: "{reference} has been declined.",
    Status.WITHDRAWN: "{reference} has been withdrawn.",
    Status.EXPIRED: "The offer on {reference} has expired.",
    Status.NOT_SELECTED: "The applicant chose another offer for {reference}.",
}


def status_sentence(application: LoanApplication, track: ApplicationTrack, recipient: User) -> str:
    """ "LA-000012 is now in review." as the recipient sees it."""
    status = (
        application.status if recipient.pk == application.owner_id else as_application_status(track.status)
    )
    return STATUS_SENTENCES[Status(status)].format(reference=application.reference)


def offer_terms(offer: Offer, *, reader: User) -> str:
    """The terms as a notification restates them, times in the reader's zone."""
    lines = [
        f"Approved amount: {format_money(offer.approved_amount)}",
        f"Interest rate: {offer.interest_rate_display}% per year (APR {offer.apr_display}%)",
        f"Term: {offer.term_months} months; monthly payment {format_money(offer.monthly_payment)}",
        f"Origination fee: {format_money(offer.origination_fee)}",
        f"Expires: {local_text(offer.expires_at, reader)}",
    ]
    if offer.conditions:
        lines.append(f"Conditions: {offer.conditions}")
    return "\n".join(lines)
