"""The owner's side of the whole request: create and edit a draft, submit it
to one to five bankers, withdraw it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import require_verified_email
from accounts.selectors import banker_for_application
from b2bbank.domain_errors import InvalidTransition, NotEligible

from ..eligibility import eligibility_problems
from ..models import ApplicationTrack, LoanApplication, Status, TrackStatus
from ..transitions import MACHINE, Action
from .common import (
    audit,
    locked,
    move_track,
    record,
    refresh_status,
    require_role,
    status_sentence,
    tell,
    tracks_of,
)

DRAFT_FIELDS = frozenset({"product", "amount", "term_months", "purpose", "banker_id"})


def _check_preselected_banker(banker_id: int | None) -> None:
    if banker_id is None:
        return
    profile = banker_for_application(banker_id=banker_id)
    if profile is None or not profile.is_verified:
        raise ValidationError({"banker": ["Choose a verified banker."]})


@transaction.atomic
def application_create(
    *,
    owner: User,
    product: str,
    amount: Decimal,
    term_months: int,
    purpose: str,
    banker_id: int | None = None,
) -> LoanApplication:
    """Start a draft. A banker may be chosen now (from their profile's Apply
    button) or at submit; eligibility is checked at submit."""
    require_role(owner, Role.BUSINESS_OWNER)
    _check_preselected_banker(banker_id)
    application = LoanApplication(
        owner=owner,
        product=product,
        amount=amount,
        term_months=term_months,
        purpose=purpose,
        banker_id=banker_id,
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_update(*, actor: User, application_id: int, fields: dict[str, Any]) -> LoanApplication:
    """Edit a draft's terms or chosen banker. Anything past draft is refused."""
    require_role(actor, Role.BUSINESS_OWNER)
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    application = locked(actor=actor, application_id=application_id)
    if application.status != Status.DRAFT:
        raise InvalidTransition("Only a draft can be edited.")
    if "banker_id" in fields:
        _check_preselected_banker(fields["banker_id"])
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean()
    application.save()
    return application


def _chosen(application: LoanApplication, banker_id: int | None, banker_ids: list[int] | None) -> list[int]:
    if banker_ids:
        return list(banker_ids)
    chosen = banker_id if banker_id is not None else application.banker_id
    if chosen is None:
        raise NotEligible("Choose the banker to send this application to.", code="banker_required")
    return [chosen]


def _refuse_if_not_eligible(application: LoanApplication, banker_ids: list[int]) -> None:
    """Every rule for every banker; one refusal naming each problem, so the
    owner fixes them all at once and nothing is sent to anyone."""
    problems = eligibility_problems(application, banker_ids)
    if not problems:
        return
    code = problems[0].code if len(problems) == 1 else "bankers_not_eligible"
    raise NotEligible("Not sent: " + " ".join(p.sentence for p in problems), code=code)


@transaction.atomic
def application_submit(
    *,
    actor: User,
    application_id: int,
    banker_id: int | None = None,
    banker_ids: list[int] | None = None,
    note: str = "",
) -> LoanApplication:
    """Send a draft to one to five bankers, each on their own track. Each must
    be verified, accept new clients, offer the product and lend this amount;
    otherwise nothing is sent and the error names each banker and rule."""
    transition = MACHINE[Action.SUBMIT]
    require_role(actor, transition.role)
    require_verified_email(actor)
    application = locked(actor=actor, application_id=application_id)
    if application.status not in transition.sources:
        raise InvalidTransition(
            f"You cannot submit an application that is {application.get_status_display().lower()}."
        )
    chosen = _chosen(application, banker_id, banker_ids)
    _refuse_if_not_eligible(application, chosen)
    now = timezone.now()
    application.banker_id = chosen[0] if len(chosen) == 1 else None
    application.submitted_at = now
    tracks = [ApplicationTrack.objects.create(application=application, banker_id=pk) for pk in chosen]
    refresh_status(application, tracks, now)
    audit(
        actor=actor,
        application=application,
        action="application.status",
        before={"status": Status.DRAFT},
        after={"status": application.status, "bankers": chosen},
    )
    for track in tracks:
        _record_and_tell_banker(application, track, actor, Status.DRAFT, note, "submitted")
    return application


def _with_note(body: str, note: str) -> str:
    return f"{body}\n\n{note}" if note else body


def _record_and_tell_banker(
    application: LoanApplication, track: ApplicationTrack, actor: User, from_status: str, note: str, verb: str
) -> None:
    """The owner moved this banker's track (submitted, withdrew): its event, and
    the banker told in the app, by email and on their sockets."""
    event = record(
        application=application,
        track=track,
        actor=actor,
        from_status=from_status,
        to_status=track.status,
        note=note,
    )
    tell(
        recipient=track.banker,
        application=application,
        event=event,
        track=track,
        kind=f"application.{event.to_status}",
        title=f"{event.actor_name} {verb} {application.reference}",
        body=_with_note(status_sentence(application, track, track.banker), note),
    )


@transaction.atomic
def application_withdraw(*, actor: User, application_id: int, note: str = "") -> LoanApplication:
    """The owner withdraws the whole request while no offer is open: every
    open track closes and its banker is told. A draft tells nobody."""
    transition = MACHINE[Action.WITHDRAW]
    require_role(actor, transition.role)
    application = locked(actor=actor, application_id=application_id)
    if application.status not in transition.sources:
        raise InvalidTransition(
            f"You cannot withdraw an application that is {application.get_status_display().lower()}."
        )
    now = timezone.now()
    from_status = application.status
    tracks = tracks_of(application)
    moved = [(track, move_track(track, TrackStatus.WITHDRAWN, now)) for track in tracks if track.is_open]
    if from_status == Status.DRAFT:
        application.status = Status.WITHDRAWN
        record(
            application=application,
            track=None,
            actor=actor,
            from_status=from_status,
            to_status=Status.WITHDRAWN,
            note=note,
        )
    refresh_status(application, tracks, now)
    audit(
        actor=actor,
        application=application,
        action="application.status",
        before={"status": from_status},
        after={"status": application.status},
    )
    for track, previous in moved:
        _record_and_tell_banker(application, track, actor, previous, note, "withdrew")
    return application
