"""The status machine from DESIGN.md as data: which role may take which action
from which states, and where it leads. Services, pages and the API all read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from accounts.choices import Role

from .models import LoanApplication, Status


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit"
    START_REVIEW = "start-review", "Start review"
    REQUEST_INFO = "request-info", "Request information"
    RESPOND = "respond", "Respond"
    APPROVE = "approve", "Approve"
    DECLINE = "decline", "Decline"
    WITHDRAW = "withdraw", "Withdraw"


@dataclass(frozen=True)
class Transition:
    role: Role
    sources: frozenset[Status]
    target: Status
    verb: str  # past tense, for notifications: "approved"
    phrase: str  # for refusals: "You cannot <phrase> an application that is ..."


MACHINE: dict[Action, Transition] = {
    Action.SUBMIT: Transition(
        Role.BUSINESS_OWNER, frozenset({Status.DRAFT}), Status.SUBMITTED, "submitted", "submit"
    ),
    Action.START_REVIEW: Transition(
        Role.BANKER, frozenset({Status.SUBMITTED}), Status.IN_REVIEW, "started reviewing", "start reviewing"
    ),
    Action.REQUEST_INFO: Transition(
        Role.BANKER,
        frozenset({Status.IN_REVIEW}),
        Status.INFO_REQUESTED,
        "requested more information on",
        "request information on",
    ),
    Action.RESPOND: Transition(
        Role.BUSINESS_OWNER,
        frozenset({Status.INFO_REQUESTED}),
        Status.IN_REVIEW,
        "responded on",
        "respond on",
    ),
    Action.APPROVE: Transition(
        Role.BANKER, frozenset({Status.IN_REVIEW}), Status.APPROVED, "approved", "approve"
    ),
    Action.DECLINE: Transition(
        Role.BANKER,
        frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED}),
        Status.DECLINED,
        "declined",
        "decline",
    ),
    Action.WITHDRAW: Transition(
        Role.BUSINESS_OWNER,
        frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED}),
        Status.WITHDRAWN,
        "withdrew",
        "withdraw",
    ),
}


def open_actions(user: Any, application: LoanApplication) -> list[Action]:
    """The actions this user may take on this application right now, in the
    machine's order. Assumes the user may view the application."""
    role = getattr(user, "role", "")
    return [
        action
        for action, transition in MACHINE.items()
        if transition.role == role and application.status in transition.sources
    ]
