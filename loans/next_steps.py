"""What the owner does next for an application in each status, declared once
(the dashboard shows it beside each application)."""

from __future__ import annotations

from .models import Status

OWNER_NEXT_STEP: dict[Status, str] = {
    Status.DRAFT: "Choose up to five bankers and submit it.",
    Status.SUBMITTED: "Nothing to do: the bankers will start their review.",
    Status.IN_REVIEW: "Nothing to do: the review is under way. Answer any message quickly.",
    Status.INFO_REQUESTED: "Answer the banker's question so the review can go on.",
    Status.APPROVED: "Compare the offers and accept one before it expires.",
    Status.ACCEPTED: "Your banker will contact you to sign and fund the loan.",
    Status.DECLINED: "Closed. Apply to another banker if you still need credit.",
    Status.WITHDRAWN: "Closed. Start a new application when you are ready.",
    Status.EXPIRED: "The offers ran out. Start a new application to ask again.",
    Status.NOT_SELECTED: "Closed: you accepted another offer.",
}


def owner_next_step(status: Status) -> str:
    return OWNER_NEXT_STEP[Status(status)]
