"""The kinds of notification a user may receive by email, per role. In-app
notifications are always on; email can be turned off per kind (profile
settings, `me/` API). A new kind of notification adds one line here. Account
security notices (`account.*`: a welcome, someone signing up with your address)
are not listed: they cannot be turned off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.choices import Role


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    roles: tuple[str, ...]


OWNER, BANKER = Role.BUSINESS_OWNER.value, Role.BANKER.value

KINDS = (
    Kind("application.submitted", "An application is sent to me", (BANKER,)),
    Kind("application.in_review", "An application goes (back) into review", (OWNER, BANKER)),
    Kind("application.info_requested", "My banker asks me for information", (OWNER,)),
    Kind("application.approved", "An application is approved", (OWNER,)),
    Kind("application.declined", "An application is declined", (OWNER,)),
    Kind("application.withdrawn", "An application is withdrawn", (BANKER,)),
    Kind("application.accepted", "An applicant accepts my offer", (BANKER,)),
    Kind("application.not_selected", "An applicant accepts another banker's offer", (BANKER,)),
    Kind("application.expired", "An offer expires", (OWNER, BANKER)),
    Kind("application.released", "My banker can no longer take my application", (OWNER,)),
    Kind("document_request.new", "My banker asks me for a document", (OWNER,)),
    Kind("document.new", "A document is uploaded to an application", (BANKER,)),
    Kind("document.reviewed", "My banker accepts or rejects a document", (OWNER,)),
    Kind("banker.verification", "Staff verify or reject my banker profile", (BANKER,)),
    Kind("reminder.offer_expiring", "Reminder: an offer expires within 48 hours", (OWNER,)),
    Kind(
        "reminder.document_overdue", "Reminder: a document my banker asked for is past its due date", (OWNER,)
    ),
    Kind("reminder.info_request", "Reminder: a question has waited 3 days for my answer", (OWNER,)),
    Kind(
        "reminder.review_overdue", "Reminder: a submission has waited 2 business days for review", (BANKER,)
    ),
)


def kinds_for(user: Any) -> list[Kind]:
    """The kinds this user can receive, in display order."""
    role = getattr(user, "role", "")
    return [kind for kind in KINDS if role in kind.roles]
