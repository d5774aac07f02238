"""Every write to loan applications. One service per action of the status
machine (loans.transitions): one transaction, the row locked, one immutable
ApplicationEvent, and the other party notified after commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Product, Role
from accounts.permissions import has_role, require_verified_email
from accounts.selectors import banker_for_application, banker_is_verified
from audit.services import audit_log
from b2bbank.domain_errors import Forbidden, InvalidTransition, NotEligible, NotFound
from b2bbank.realtime import publish_on_commit
from notifications.services import notification_create

from .models import FINAL_STATUSES, ApplicationEvent, LoanApplication, Status
from .permissions import can_view_application
from .transitions import MACHINE, Action

DRAFT_FIELDS = frozenset({"product", "amount", "term_months", "purpose", "banker_id"})


def _require_role(actor: Any, role: Role) -> None:
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


def _locked(*, actor: Any, application_id: int) -> LoanApplication:
    application = LoanApplication.objects.select_for_update().filter(pk=application_id).first()
    if application is None or not can_view_application(actor, application):
        raise NotFound("No such application.")
    return application


def _check_preselected_banker(banker_id: int | None) -> None:
    if banker_id is None:
        return
    profile = banker_for_application(banker_id=banker_id)
    if profile is None or not profile.is_verified:
        raise ValidationError({"banker": ["Choose a verified banker."]})


@transaction.atomic
def application_create(
    *,
    owner: Any,
    product: str,
    amount: Decimal,
    term_months: int,
    purpose: str,
    banker_id: int | None = None,
) -> LoanApplication:
    """Start a draft. The banker may be chosen now (from their profile's Apply
    button) or at submit; eligibility is checked at submit."""
    _require_role(owner, Role.BUSINESS_OWNER)
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
def application_update(*, actor: Any, application_id: int, fields: dict[str, Any]) -> LoanApplication:
    """Edit a draft's terms or chosen banker. Anything past draft is refused."""
    _require_role(actor, Role.BUSINESS_OWNER)
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    application = _locked(actor=actor, application_id=application_id)
    if application.status != Status.DRAFT:
        raise InvalidTransition("Only a draft can be edited.")
    if "banker_id" in fields:
        _check_preselected_banker(fields["banker_id"])
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean()
    application.save()
    return application


def _check_eligibility(application: LoanApplication, banker_id: int | None) -> None:
    """Submit's business rules, each failing with its own message and code."""
    if banker_id is None:
        raise NotEligible("Choose the banker to send this application to.", code="banker_required")
    profile = banker_for_application(banker_id=banker_id)
    if profile is None:
        raise NotEligible("This banker does not exist.", code="banker_unknown")
    if not profile.is_verified:
        raise NotEligible("This banker is not verified yet.", code="banker_not_verified")
    if not profile.accepting_new_clients:
        raise NotEligible("This banker is not accepting new clients.", code="banker_not_accepting")
    if application.product not in profile.products:
        label = Product(application.product).label.lower()
        raise NotEligible(f"This banker does not offer {label}.", code="product_not_offered")
    if application.amount < profile.min_loan_amount:
        raise NotEligible(
            f"The amount is below this banker's minimum of {profile.min_loan_amount:,.2f} "
            f"{settings.PLATFORM_CURRENCY}.",
            code="amount_below_minimum",
        )
    if profile.max_loan_amount is not None and application.amount > profile.max_loan_amount:
        raise NotEligible(
            f"The amount is above this banker's maximum of {profile.max_loan_amount:,.2f} "
            f"{settings.PLATFORM_CURRENCY}.",
            code="amount_above_maximum",
        )


def _notify(application: LoanApplication, event: ApplicationEvent, action: Action) -> None:
    """The other party hears about it: in the app, by email, and on their open sockets."""
    actor_is_owner = event.actor_id == application.owner_id
    recipient = application.banker if actor_is_owner else application.owner
    if recipient is None or (event.from_status == Status.DRAFT and action != Action.SUBMIT):
        return  # a draft is the owner's alone, even with a banker preselected
    verb = MACHINE[action].verb
    title = f"{event.actor_name} {verb} {application.reference}"
    body = f"{application.reference} is now {application.get_status_display().lower()}."
    if application.status == Status.APPROVED:
        body = (
            f"{body}\n\nApproved amount: {application.approved_amount:,.2f} {settings.PLATFORM_CURRENCY}"
            f"\nInterest rate: {application.interest_rate_display}% per year"
            f"\nTerm: {application.approved_term_months} months"
        )
        if application.conditions:
            body = f"{body}\nConditions: {application.conditions}"
    if event.note:
        body = f"{body}\n\n{event.note}"
    notification_create(
        recipient=recipient,
        kind=f"application.{event.to_status}",
        title=title,
        body=body,
        link=reverse("loans:detail", args=[application.pk]),
    )
    publish_on_commit([recipient.pk], _status_frame(application, event))


def _status_frame(application: LoanApplication, event: ApplicationEvent) -> dict[str, Any]:
    """The `application.status` frame (DESIGN.md, Realtime)."""
    return {
        "type": "application.status",
        "application": application.pk,
        "status": application.status,
        "event": {
            "id": event.pk,
            "actor": event.actor_id,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "note": event.note,
            "created_at": event.created_at.isoformat(),
        },
    }


def _move(
    *,
    actor: Any,
    application_id: int,
    action: Action,
    note: str = "",
    changes: dict[str, Any] | None = None,
    banker_id: int | None = None,
) -> LoanApplication:
    """The shared body of every transition; callers hold the transaction."""
    transition = MACHINE[action]
    _require_role(actor, transition.role)
    if action == Action.SUBMIT:
        require_verified_email(actor)
    application = _locked(actor=actor, application_id=application_id)
    if application.status not in transition.sources:
        raise InvalidTransition(
            f"You cannot {transition.phrase} an application that is "
            f"{application.get_status_display().lower()}."
        )
    if action == Action.SUBMIT:
        chosen = banker_id if banker_id is not None else application.banker_id
        _check_eligibility(application, chosen)
        application.banker_id = chosen
        application.submitted_at = timezone.now()
    from_status = application.status
    for name, value in (changes or {}).items():
        setattr(application, name, value)
    application.status = transition.target
    application.status_changed_at = timezone.now()
    if application.is_final:
        application.decided_at = application.status_changed_at
    # Field validators (amounts, rate, term, lengths) still run. The parties are
    # rows we just read or locked and the CHECK constraints are enforced by
    # PostgreSQL, so skipping their per-row existence/constraint queries keeps a
    # transition at a handful of statements instead of ~30.
    application.full_clean(exclude=["owner", "banker"], validate_constraints=False)
    application.save()
    event = ApplicationEvent(
        application=application, actor=actor, from_status=from_status, to_status=application.status, note=note
    )
    event.full_clean(exclude=["application", "actor"], validate_constraints=False)
    event.save()
    audit_log(
        action="application.status",
        actor=actor,
        target=application,
        before={"status": from_status},
        after={"status": application.status, **{k: str(v) for k, v in (changes or {}).items()}},
    )
    _notify(application, event, action)
    return application


@transaction.atomic
def application_submit(
    *, actor: Any, application_id: int, banker_id: int | None = None, note: str = ""
) -> LoanApplication:
    """Send a draft to a banker, checking the banker is verified, accepting new
    clients, offers the product and lends this amount."""
    return _move(
        actor=actor, application_id=application_id, action=Action.SUBMIT, note=note, banker_id=banker_id
    )


@transaction.atomic
def application_start_review(*, actor: Any, application_id: int, note: str = "") -> LoanApplication:
    """The banker picks up a submitted application."""
    return _move(actor=actor, application_id=application_id, action=Action.START_REVIEW, note=note)


@transaction.atomic
def application_request_info(*, actor: Any, application_id: int, note: str) -> LoanApplication:
    """The banker asks the owner a question (the note says what is needed)."""
    if not note.strip():
        raise ValidationError({"note": ["Say what information you need."]})
    return _move(actor=actor, application_id=application_id, action=Action.REQUEST_INFO, note=note)


@transaction.atomic
def application_respond(*, actor: Any, application_id: int, note: str) -> LoanApplication:
    """The owner answers an information request; the review resumes."""
    if not note.strip():
        raise ValidationError({"note": ["Write your answer to the banker's request."]})
    return _move(actor=actor, application_id=application_id, action=Action.RESPOND, note=note)


@transaction.atomic
def application_approve(
    *,
    actor: Any,
    application_id: int,
    approved_amount: Decimal,
    interest_rate: Decimal,
    term_months: int,
    conditions: str = "",
    note: str = "",
) -> LoanApplication:
    """The banker approves with terms: amount, annual rate, term and conditions."""
    changes = {
        "approved_amount": approved_amount,
        "interest_rate": interest_rate,
        "approved_term_months": term_months,
        "conditions": conditions,
    }
    return _move(
        actor=actor, application_id=application_id, action=Action.APPROVE, note=note, changes=changes
    )


@transaction.atomic
def application_decline(*, actor: Any, application_id: int, reason: str, note: str = "") -> LoanApplication:
    """The banker declines, saying why (the owner sees the reason)."""
    if not reason.strip():
        raise ValidationError({"reason": ["Give the reason for declining."]})
    return _move(
        actor=actor,
        application_id=application_id,
        action=Action.DECLINE,
        note=note or reason,  # the timeline says why without a second lookup
        changes={"decline_reason": reason},
    )


@transaction.atomic
def application_withdraw(*, actor: Any, application_id: int, note: str = "") -> LoanApplication:
    """The owner withdraws an application that is not decided yet."""
    return _move(actor=actor, application_id=application_id, action=Action.WITHDRAW, note=note)


RELEASED_NOTE = (
    "The banker you sent this to can no longer take applications on b2bbank, so it is back "
    "in your drafts. Nothing you wrote was lost: choose another banker and submit it again."
)


@transaction.atomic
def applications_release_from_banker(*, banker_id: int, actor: Any = None) -> list[LoanApplication]:
    """A banker's verification was taken away: each of their undecided
    applications goes back to its owner as a draft with no banker, with a
    timeline entry by the platform, and the owner is told. Decided ones stay
    as they are (the banker keeps read access to their history)."""
    released = list(
        LoanApplication.objects.select_for_update()
        .filter(banker_id=banker_id)
        .exclude(status=Status.DRAFT)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("pk")
    )
    for application in released:
        from_status = application.status
        application.status = Status.DRAFT
        application.banker_id = None
        application.submitted_at = None
        application.status_changed_at = timezone.now()
        application.save(
            update_fields=["status", "banker", "submitted_at", "status_changed_at", "updated_at"]
        )
        event = ApplicationEvent.objects.create(
            application=application,
            actor=None,
            from_status=from_status,
            to_status=Status.DRAFT,
            note=RELEASED_NOTE,
        )
        audit_log(
            action="application.released",
            actor=actor,
            target=application,
            before={"status": from_status, "banker": banker_id},
            after={"status": Status.DRAFT, "banker": None},
        )
        _notify_owner_released(application, event)
    return released


def _notify_owner_released(application: LoanApplication, event: ApplicationEvent) -> None:
    notification_create(
        recipient=application.owner,
        kind="application.released",
        title=f"{application.reference} is back in your drafts",
        body=RELEASED_NOTE,
        link=reverse("loans:detail", args=[application.pk]),
    )
    publish_on_commit([application.owner_id], _status_frame(application, event))


def application_timeline_add(*, actor: Any, application: LoanApplication, note: str) -> ApplicationEvent:
    """A timeline entry that is not a status move (another app's step, e.g. a
    document given, asked for or reviewed): from and to are both the current
    status. Runs in the caller's transaction; the caller checked access."""
    event = ApplicationEvent(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        note=note[:2000],
    )
    event.full_clean(exclude=["application", "actor"], validate_constraints=False)
    event.save()
    return event
