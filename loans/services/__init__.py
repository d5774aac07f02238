"""Every write to loan applications, their tracks and offers. One service per
action of the status machine (loans.transitions): one transaction, the
application's row locked, one immutable ApplicationEvent per track moved, and
the other party told after commit."""

from .drafts import (
    DRAFT_FIELDS,
    application_create,
    application_submit,
    application_update,
    application_withdraw,
)
from .offers import (
    EXPIRED_NOTE,
    Terms,
    application_approve,
    offer_accept,
    offer_decline,
    offer_expire,
    offer_withdraw,
    offers_due,
)
from .release import RELEASED_NOTE, RELEASED_TRACK_NOTE, applications_release_from_banker
from .timeline import application_timeline_add
from .tracks import (
    application_decline,
    application_request_info,
    application_respond,
    application_start_review,
)

__all__ = [
    "DRAFT_FIELDS",
    "EXPIRED_NOTE",
    "RELEASED_NOTE",
    "RELEASED_TRACK_NOTE",
    "Terms",
    "application_approve",
    "application_create",
    "application_decline",
    "application_request_info",
    "application_respond",
    "application_start_review",
    "application_submit",
    "application_timeline_add",
    "application_update",
    "application_withdraw",
    "applications_release_from_banker",
    "offer_accept",
    "offer_decline",
    "offer_expire",
    "offer_withdraw",
    "offers_due",
]
