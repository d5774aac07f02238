"""Timeline entries that are not status moves: another app's step on an
application (a document given, asked for or reviewed)."""

from __future__ import annotations

from typing import Any

from ..models import ApplicationEvent, ApplicationTrack, LoanApplication
from ..models.application import NOTE_MAX


def application_timeline_add(
    *, actor: Any, application: LoanApplication, note: str, banker_id: int | None = None
) -> ApplicationEvent:
    """A note on the timeline; from and to are both the current status. With
    `banker_id` it belongs to that banker's live track, so only they and the
    owner see it (a banker's own document request or review); without, every
    banker on the application sees it too (the owner's upload). Runs in the
    caller's transaction; the caller checked access."""
    track = None
    if banker_id is not None:
        track = ApplicationTrack.objects.filter(
            application_id=application.pk, banker_id=banker_id, released_at__isnull=True
        ).first()
    event = ApplicationEvent(
        application=application,
        actor=actor,
        track=track,
        from_status=application.status,
        to_status=application.status,
        note=note[:NOTE_MAX],
    )
    event.full_clean(exclude=["application", "actor", "track"], validate_constraints=False)
    event.save()
    return event
