"""Reads of loan applications, their tracks and offers, always scoped to the
viewer: a banker sees only their own track and its offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import BankerProfile
from accounts.permissions import is_banker, is_business_owner
from accounts.selectors import bankers_to_apply_to
from b2bbank.domain_errors import NotFound

from .models import (
    ApplicationEvent,
    ApplicationTrack,
    LoanApplication,
    Offer,
    OfferStatus,
    Status,
    TrackStatus,
)
from .models.track import as_application_status

PIPELINE_ORDER = (
    TrackStatus.SUBMITTED,
    TrackStatus.IN_REVIEW,
    TrackStatus.INFO_REQUESTED,
    TrackStatus.OFFERED,
    TrackStatus.ACCEPTED,
    TrackStatus.NOT_SELECTED,
    TrackStatus.DECLINED,
    TrackStatus.WITHDRAWN,
    TrackStatus.EXPIRED,
)
CLOSED_TRACK_STATUSES = frozenset(PIPELINE_ORDER[4:])


def _tracks_query(user: Any) -> QuerySet[ApplicationTrack]:
    tracks = ApplicationTrack.objects.filter(released_at__isnull=True).select_related(
        "banker__banker_profile"
    )
    if is_banker(user):
        tracks = tracks.filter(banker_id=user.pk)
    return tracks.prefetch_related(Prefetch("offers", queryset=Offer.objects.order_by("id"))).order_by("id")


def _with_parties(
    queryset: QuerySet[LoanApplication], user: Any, with_tracks: bool
) -> QuerySet[LoanApplication]:
    """The parties, and the tracks the viewer may see (as `viewer_tracks`)."""
    queryset = queryset.select_related("owner__owner_profile", "banker__banker_profile")
    if not with_tracks:
        return queryset
    return queryset.prefetch_related(
        Prefetch("tracks", queryset=_tracks_query(user), to_attr="viewer_tracks")
    )


def applications_visible_to(*, user: Any, with_tracks: bool = True) -> QuerySet[LoanApplication]:
    """Owners see theirs; bankers those with a live track of theirs; anyone
    else nothing. With the tracks (and offers) the viewer may see, unless
    the caller only needs the scope check."""
    if is_business_owner(user):
        return _with_parties(LoanApplication.objects.for_owner(user), user, with_tracks)
    if is_banker(user):
        return _with_parties(LoanApplication.objects.for_banker(user), user, with_tracks)
    return LoanApplication.objects.none()


def tracks_for_viewer(user: Any, application: LoanApplication) -> list[ApplicationTrack]:
    """The tracks this viewer may see (prefetched by the selectors above)."""
    cached = getattr(application, "viewer_tracks", None)
    if cached is None:
        cached = list(_tracks_query(user).filter(application=application))
        application.viewer_tracks = cached  # type: ignore[attr-defined]
    return cached


def viewer_status(user: Any, application: LoanApplication) -> Status:
    """The application's status as this viewer sees it now: the owner the
    summary of every track, a banker their own track (in the application's
    vocabulary); an offer past its expiry counts as expired."""
    from .transitions import application_status

    tracks = tracks_for_viewer(user, application)
    if not tracks:
        return Status(application.status)
    if is_banker(user):
        return as_application_status(tracks[0].effective_status)
    return application_status((t.effective_status for t in tracks), current=application.status)


def status_filter(
    queryset: QuerySet[LoanApplication], *, user: Any, status: Status
) -> QuerySet[LoanApplication]:
    """Applications whose status, as this viewer sees it now, is `status`: a
    banker filters on their own track (never on what other bankers' tracks
    did to the summary); for the owner an `approved` one whose offers all ran
    out reads as expired."""
    if is_banker(user):
        track_status = TrackStatus.OFFERED if status == Status.APPROVED else status
        if track_status not in TrackStatus.values:
            return queryset.none()
        mine = ApplicationTrack.objects.filter(
            application=OuterRef("pk"), banker_id=user.pk, released_at__isnull=True, status=track_status
        )
        return queryset.filter(Exists(mine))
    open_offer = Exists(
        Offer.objects.filter(
            track__application=OuterRef("pk"), status=OfferStatus.OPEN, expires_at__gt=timezone.now()
        )
    )
    if status == Status.APPROVED:
        return queryset.filter(open_offer, status=Status.APPROVED)
    if status == Status.EXPIRED:
        return queryset.filter(Q(status=Status.EXPIRED) | (Q(status=Status.APPROVED) & ~open_offer))
    return queryset.filter(status=status)


def events_visible_q(user: Any) -> Q:
    """A banker sees the events of their own tracks, and the notes that belong
    to the whole application (no track, not a status move: the owner's upload)."""
    if is_banker(user):
        return Q(track__banker_id=user.pk, track__released_at__isnull=True) | Q(
            track__isnull=True, from_status=F("to_status")
        )
    return Q()


def application_for(
    *, user: Any, application_id: int, with_events: bool = False, with_tracks: bool = True
) -> LoanApplication:
    queryset = applications_visible_to(user=user, with_tracks=with_tracks)
    if with_events:
        events = ApplicationEvent.objects.filter(events_visible_q(user)).select_related(
            "actor", "track__banker"
        )
        queryset = queryset.prefetch_related(Prefetch("events", queryset=events, to_attr="viewer_events"))
    application = queryset.filter(pk=application_id).first()
    if application is None:
        raise NotFound("No such application.")
    return application


def application_events(*, user: Any, application_id: int) -> QuerySet[ApplicationEvent]:
    application = application_for(user=user, application_id=application_id, with_tracks=False)
    return (
        ApplicationEvent.objects.filter(application=application)
        .filter(events_visible_q(user))
        .select_related("actor")
    )


def offers_for(*, user: Any, application_id: int) -> list[Offer]:
    """Every offer on the application for its owner; a banker only their own."""
    application = application_for(user=user, application_id=application_id)
    return [offer for track in tracks_for_viewer(user, application) for offer in track.offers.all()]


def open_offers(tracks: list[ApplicationTrack]) -> list[Offer]:
    """The open offers (expiry applied now), lowest APR first."""
    offers = [t.current_offer for t in tracks]
    return sorted((o for o in offers if o is not None and o.is_open), key=lambda o: (o.apr, o.pk))


CLOSED_SHOWN = 10
# Open applications shown per stage on the pipeline (longest waiting first); the
# stage's own page lists them all, a page at a time.
OPEN_SHOWN = 50


@dataclass
class PipelineGroup:
    status: TrackStatus
    applications: list[ApplicationTrack]
    total: int

    @property
    def count(self) -> int:
        return self.total

    @property
    def is_final(self) -> bool:
        return self.status in CLOSED_TRACK_STATUSES

    @property
    def hidden(self) -> int:
        return self.total - len(self.applications)


def banker_pipeline(*, banker: Any) -> list[PipelineGroup]:
    """This banker's tracks grouped by status: work waiting on the banker
    first, then offers out, then closed. Each open stage shows its OPEN_SHOWN
    longest-waiting, each closed one its CLOSED_SHOWN most recent, all with
    full counts; a stage's page (`banker_stage`) lists the rest."""
    mine = ApplicationTrack.objects.filter(banker_id=banker.pk, released_at__isnull=True)
    totals = dict(mine.order_by().values_list("status").annotate(n=Count("id")))
    groups = {status: PipelineGroup(status, [], totals.get(status, 0)) for status in PIPELINE_ORDER}
    for status in PIPELINE_ORDER:
        if totals.get(status):
            shown = CLOSED_SHOWN if status in CLOSED_TRACK_STATUSES else OPEN_SHOWN
            groups[status].applications = list(banker_stage(banker=banker, status=status)[:shown])
    return list(groups.values())


def banker_stage(*, banker: Any, status: TrackStatus) -> QuerySet[ApplicationTrack]:
    """Every track of this banker in one stage (each row's `application` with
    its owner): open ones the longest waiting first, closed ones the most
    recent first."""
    closed = status in CLOSED_TRACK_STATUSES
    order = ("-status_changed_at", "-id") if closed else ("status_changed_at", "id")
    return (
        ApplicationTrack.objects.filter(banker_id=banker.pk, released_at__isnull=True, status=status)
        .select_related("application__owner__owner_profile")
        .order_by(*order)
    )


def bankers_for_form() -> QuerySet[BankerProfile]:
    return bankers_to_apply_to()


def banker_to_apply_to(*, banker_id: int) -> BankerProfile | None:
    """The banker preselected from a profile's Apply button, if one may be applied to."""
    return bankers_to_apply_to().filter(user_id=banker_id).first()


def application_live_bankers(*, application: LoanApplication) -> list[Any]:
    """The bankers with a live track on the application (the ones another app
    tells about the owner's steps, e.g. a document uploaded)."""
    tracks = ApplicationTrack.objects.filter(application=application, released_at__isnull=True)
    return [track.banker for track in tracks.select_related("banker").order_by("pk")]
