"""THE registry of actions on an application: the status machine as data
(who, from which statuses, to which) and everything that reads it: the
service each action dispatches to, its API input and route, and its page
form, button and confirmation step. One generic API view
(loans.api.views.ApplicationActionApi), one generic page view
(loans.views.application_action) and the detail template read this.

Adding an action touches at most four files: this one (its entry), its
service in loans/services/, its page form in loans/forms.py and its API input
in loans/api/serializers.py (the last two only when it takes new fields).
Services, forms and inputs are named by dotted path so this module imports
none of them (they import it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from django.db import models
from django.utils.module_loading import import_string

from accounts.choices import Role

from .models import Status, TrackStatus


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit"
    START_REVIEW = "start-review", "Start review"
    REQUEST_INFO = "request-info", "Request information"
    RESPOND = "respond", "Respond"
    APPROVE = "approve", "Make an offer"
    DECLINE = "decline", "Decline"
    WITHDRAW = "withdraw", "Withdraw"
    OFFER_ACCEPT = "offer-accept", "Accept offer"
    OFFER_DECLINE = "offer-decline", "Decline offer"
    OFFER_WITHDRAW = "offer-withdraw", "Withdraw offer"


Scope = Literal["application", "track", "offer"]


@dataclass(frozen=True)
class ActionSpec:
    """One action. `scope` says what `sources` are statuses of: the
    application (submit, withdraw), the actor's track, or an offer's track
    (the route then names the offer: applications/{id}/offers/{offer}/<segment>/)."""

    action: Action
    role: Role
    scope: Scope
    sources: frozenset[str]
    target: str
    verb: str  # past tense, for notifications: "made an offer on"
    phrase: str  # for refusals: "You cannot <phrase> an application that is ..."
    service: str  # dotted path; called with actor, application_id (offer_id) and the input
    api_input: str  # dotted path of the DRF input serializer
    form: str  # dotted path of the page form (a loans.forms.ActionForm)
    button: str  # the page's button
    done: str  # the page's success message
    style: Literal["primary", "danger", "plain"] = "primary"
    # The page shows the form on its own page and then a confirmation step that
    # restates what will be sent before anything happens.
    confirm: bool = False
    segment: str = ""  # the URL's last segment; the action's value when empty
    # `page_confirms`: the action's own page already says what will happen
    # (withdraw), so its button confirms in one step.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def path_segment(self) -> str:
        return self.segment or self.action.value

    @property
    def label(self) -> str:
        return self.action.label

    def run(self) -> Callable[..., Any]:
        return _load(self.service)

    def input_class(self) -> Any:
        return _load(self.api_input)

    def form_class(self) -> Any:
        return _load(self.form)


@cache
def _load(path: str) -> Any:
    return import_string(path)


_S = "loans.services."
_I = "loans.api.serializers."
_F = "loans.forms."
_BEFORE_OFFER = frozenset({TrackStatus.SUBMITTED, TrackStatus.IN_REVIEW, TrackStatus.INFO_REQUESTED})

REGISTRY: dict[Action, ActionSpec] = {
    spec.action: spec
    for spec in (
        ActionSpec(
            Action.SUBMIT,
            Role.BUSINESS_OWNER,
            "application",
            frozenset({Status.DRAFT}),
            TrackStatus.SUBMITTED,
            "submitted",
            "submit",
            _S + "application_submit",
            _I + "SubmitInput",
            _F + "SubmitForm",
            "Send to the bankers I ticked",
            "Your application has been sent.",
        ),
        ActionSpec(
            Action.START_REVIEW,
            Role.BANKER,
            "track",
            frozenset({TrackStatus.SUBMITTED}),
            TrackStatus.IN_REVIEW,
            "started reviewing",
            "start reviewing",
            _S + "application_start_review",
            _I + "NoteInput",
            _F + "NoteForm",
            "Start review",
            "You are now reviewing this application.",
        ),
        ActionSpec(
            Action.REQUEST_INFO,
            Role.BANKER,
            "track",
            frozenset({TrackStatus.IN_REVIEW}),
            TrackStatus.INFO_REQUESTED,
            "requested more information on",
            "request information on",
            _S + "application_request_info",
            _I + "RequiredNoteInput",
            _F + "RequiredNoteForm",
            "Send request",
            "Your request has been sent to the applicant.",
            style="plain",
        ),
        ActionSpec(
            Action.RESPOND,
            Role.BUSINESS_OWNER,
            "track",
            frozenset({TrackStatus.INFO_REQUESTED}),
            TrackStatus.IN_REVIEW,
            "responded on",
            "respond on",
            _S + "application_respond",
            _I + "RespondInput",
            _F + "RespondForm",
            "Send answer",
            "Your answer has been sent to the banker.",
        ),
        ActionSpec(
            Action.APPROVE,
            Role.BANKER,
            "track",
            frozenset({TrackStatus.IN_REVIEW}),
            TrackStatus.OFFERED,
            "approved",
            "approve",
            _S + "application_approve",
            _I + "ApproveInput",
            _F + "ApproveForm",
            "Send offer",
            "Your offer has been sent to the applicant.",
            confirm=True,
        ),
        ActionSpec(
            Action.DECLINE,
            Role.BANKER,
            "track",
            _BEFORE_OFFER,
            TrackStatus.DECLINED,
            "declined",
            "decline",
            _S + "application_decline",
            _I + "DeclineInput",
            _F + "DeclineForm",
            "Decline application",
            "The application is declined and the applicant has been told.",
            style="danger",
            confirm=True,
        ),
        ActionSpec(
            Action.WITHDRAW,
            Role.BUSINESS_OWNER,
            "application",
            frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED}),
            TrackStatus.WITHDRAWN,
            "withdrew",
            "withdraw",
            _S + "application_withdraw",
            _I + "NoteInput",
            _F + "NoteForm",
            "Yes, withdraw",
            "Your application has been withdrawn.",
            style="danger",
            confirm=True,
            extra={"page_confirms": True},
        ),
        ActionSpec(
            Action.OFFER_ACCEPT,
            Role.BUSINESS_OWNER,
            "offer",
            frozenset({TrackStatus.OFFERED}),
            TrackStatus.ACCEPTED,
            "accepted your offer on",
            "accept an offer on",
            _S + "offer_accept",
            _I + "NoteInput",
            _F + "NoteForm",
            "Accept this offer",
            "You accepted the offer. The banker will be in touch to close the loan.",
            confirm=True,
            segment="accept",
        ),
        ActionSpec(
            Action.OFFER_DECLINE,
            Role.BUSINESS_OWNER,
            "offer",
            frozenset({TrackStatus.OFFERED}),
            TrackStatus.DECLINED,
            "declined your offer on",
            "decline an offer on",
            _S + "offer_decline",
            _I + "OfferDeclineInput",
            _F + "OfferDeclineForm",
            "Decline this offer",
            "You declined the offer and the banker has been told.",
            style="danger",
            confirm=True,
            segment="decline",
        ),
        ActionSpec(
            Action.OFFER_WITHDRAW,
            Role.BANKER,
            "offer",
            frozenset({TrackStatus.OFFERED}),
            TrackStatus.IN_REVIEW,
            "withdrew their offer on",
            "withdraw an offer on",
            _S + "offer_withdraw",
            _I + "NoteInput",
            _F + "NoteForm",
            "Withdraw my offer",
            "Your offer is withdrawn; the application is back in review.",
            style="danger",
            confirm=True,
            segment="withdraw",
        ),
    )
}


def spec_for(*, scope_offer: bool, segment: str) -> ActionSpec | None:
    """The action a URL names: applications/{id}/<segment>/ or
    applications/{id}/offers/{offer}/<segment>/."""
    for spec in REGISTRY.values():
        if (spec.scope == "offer") == scope_offer and spec.path_segment == segment:
            return spec
    return None


def _track_statuses(tracks: list[Any], user: Any) -> set[str]:
    return {t.effective_status for t in tracks if user.role == Role.BUSINESS_OWNER or t.banker_id == user.pk}


def open_actions(user: Any, status: str, tracks: list[Any]) -> list[Action]:
    """The actions this user may take now, in the registry's order, given the
    application's status and the tracks they may see, both as of now (expiry
    applied). Assumes they may view the application."""
    role = getattr(user, "role", "")
    statuses = _track_statuses(tracks, user)
    found = []
    for action, spec in REGISTRY.items():
        if spec.role != role:
            continue
        current = {status} if spec.scope == "application" else statuses
        if current & spec.sources:
            found.append(action)
    return found
