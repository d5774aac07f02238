from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.choices import Product, VerificationStatus
from accounts.models import BankerProfile
from accounts.tests.factories import BankerFactory
from b2bbank.domain_errors import Forbidden, InvalidTransition, NotEligible, NotFound
from loans import services
from loans.models import ApplicationEvent, ApplicationTrack, LoanApplication, Offer, Status
from loans.tests.factories import ApplicationFactory, DraftFactory
from notifications.models import Notification
from tests.jobs import queued_emails, send_queued_emails

pytestmark = pytest.mark.django_db

TERMS = {
    "approved_amount": Decimal("200000.00"),
    "interest_rate": Decimal("7.250"),
    "term_months": 48,
    "conditions": "Personal guarantee from the majority shareholder.",
}


def snapshot(application: LoanApplication) -> tuple[Any, ...]:
    row = LoanApplication.objects.values().get(pk=application.pk)
    return (
        tuple(sorted(row.items())),
        ApplicationEvent.objects.filter(application=application).count(),
        Notification.objects.count(),
        tuple(
            ApplicationTrack.objects.filter(application=application).values_list("status", "decline_reason")
        ),
        Offer.objects.filter(track__application=application).count(),
    )


def at(status: Status, owner: Any, banker: Any) -> LoanApplication:
    terms: dict[str, Any] = {}
    if status == Status.APPROVED:
        terms = {
            "approved_amount": Decimal("1000"),
            "interest_rate": Decimal("5"),
            "approved_term_months": 12,
        }
    return ApplicationFactory(owner=owner, banker=banker, status=status, **terms)


# --- happy paths: one event per transition, the other party notified -------


def test_create_makes_a_draft_without_events(owner_a: Any, banker_x: Any) -> None:
    application = services.application_create(
        owner=owner_a,
        product=Product.TERM_LOAN,
        amount=Decimal("250000"),
        term_months=36,
        purpose="Expansion",
        banker_id=banker_x.pk,
    )
    assert application.status == Status.DRAFT
    assert application.reference == f"LA-{application.pk:06d}"
    assert application.events.count() == 0


def test_create_refuses_out_of_bounds_amount_and_term_naming_fields(owner_a: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.application_create(
            owner=owner_a, product=Product.TERM_LOAN, amount=Decimal("0"), term_months=999, purpose="x"
        )
    assert {"amount", "term_months"} <= set(caught.value.message_dict)
    assert LoanApplication.objects.count() == 0


def test_create_refuses_unverified_preselected_banker(owner_a: Any, pending_banker: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.application_create(
            owner=owner_a,
            product=Product.TERM_LOAN,
            amount=Decimal("250000"),
            term_months=36,
            purpose="x",
            banker_id=pending_banker.pk,
        )
    assert "banker" in caught.value.message_dict


def test_create_refused_for_a_banker(banker_x: Any) -> None:
    with pytest.raises(Forbidden):
        services.application_create(
            owner=banker_x, product=Product.TERM_LOAN, amount=Decimal("250000"), term_months=36, purpose="x"
        )


def test_submit_sends_to_banker_with_one_event_notification_email_and_push(
    owner_a: Any, banker_x: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    pushed: list[tuple[list[int], dict[str, Any]]] = []
    monkeypatch.setattr("b2bbank.realtime.publish", lambda ids, event: pushed.append((list(ids), event)))
    draft = DraftFactory(owner=owner_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        application = services.application_submit(
            actor=owner_a, application_id=draft.pk, banker_id=banker_x.pk, note="Thanks"
        )
    assert application.status == Status.SUBMITTED
    assert application.banker_id == banker_x.pk
    assert application.submitted_at is not None
    event = application.events.get()
    assert (event.actor_id, event.from_status, event.to_status, event.note) == (
        owner_a.pk,
        Status.DRAFT,
        Status.SUBMITTED,
        "Thanks",
    )
    notification = Notification.objects.get()
    assert notification.recipient_id == banker_x.pk
    assert application.reference in notification.title
    assert len(callbacks) == 1  # realtime; the email is a job deferred in the transaction
    assert queued_emails() == [{"notification_id": notification.pk}]
    assert send_queued_emails() == 1
    assert [m.to for m in mail.outbox] == [[banker_x.email]]
    assert pushed == [
        (
            [banker_x.pk],
            {
                "type": "application.status",
                "application": application.pk,
                "status": "submitted",
                "track": {"id": event.track_id, "status": "submitted"},
                "offer": None,
                "event": {
                    "id": event.pk,
                    "actor": owner_a.pk,
                    "from_status": "draft",
                    "to_status": "submitted",
                    "note": "Thanks",
                    "created_at": event.created_at.isoformat(),
                },
            },
        )
    ]


def test_full_lifecycle_writes_one_event_per_transition(owner_a: Any, banker_x: Any) -> None:
    draft = DraftFactory(owner=owner_a, banker=banker_x)
    pk = draft.pk
    services.application_submit(actor=owner_a, application_id=pk)
    services.application_start_review(actor=banker_x, application_id=pk)
    services.application_request_info(actor=banker_x, application_id=pk, note="Last two years of accounts?")
    services.application_respond(actor=owner_a, application_id=pk, note="Attached to the chat.")
    application = services.application_approve(actor=banker_x, application_id=pk, **TERMS)
    assert application.status == Status.APPROVED
    offer = application.tracks.get().offers.get()
    assert offer.approved_amount == TERMS["approved_amount"]
    assert offer.interest_rate == TERMS["interest_rate"]
    assert offer.term_months == 48
    assert application.decided_at is None  # an open offer is not a final decision: the owner decides
    moves = list(application.events.values_list("from_status", "to_status"))
    assert moves == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "info_requested"),
        ("info_requested", "in_review"),
        ("in_review", "approved"),
    ]
    recipients = list(Notification.objects.order_by("id").values_list("recipient_id", flat=True))
    assert recipients == [banker_x.pk, owner_a.pk, owner_a.pk, banker_x.pk, owner_a.pk]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED])
def test_decline_records_reason_when_open(owner_a: Any, banker_x: Any, status: Status) -> None:
    application = at(status, owner_a, banker_x)
    application = services.application_decline(
        actor=banker_x, application_id=application.pk, reason="Too early"
    )
    assert application.status == Status.DECLINED
    assert application.tracks.get().decline_reason == "Too early"
    assert application.events.get().from_status == status
    assert Notification.objects.get().recipient_id == owner_a.pk


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED])
def test_withdraw_when_open_notifies_banker(owner_a: Any, banker_x: Any, status: Status) -> None:
    application = at(status, owner_a, banker_x)
    application = services.application_withdraw(actor=owner_a, application_id=application.pk)
    assert application.status == Status.WITHDRAWN
    assert application.events.get().to_status == Status.WITHDRAWN
    assert Notification.objects.get().recipient_id == banker_x.pk


def test_withdraw_draft_tells_nobody_even_with_preselected_banker(owner_a: Any, banker_x: Any) -> None:
    draft = DraftFactory(owner=owner_a, banker=banker_x)
    services.application_withdraw(actor=owner_a, application_id=draft.pk)
    assert Notification.objects.count() == 0
    assert draft.events.count() == 1


def test_update_changes_a_draft(owner_a: Any, banker_x: Any) -> None:
    draft = DraftFactory(owner=owner_a)
    updated = services.application_update(
        actor=owner_a, application_id=draft.pk, fields={"amount": Decimal("90000"), "banker_id": banker_x.pk}
    )
    assert (updated.amount, updated.banker_id) == (Decimal("90000"), banker_x.pk)


# --- refusals: each leaves the database unchanged -------------------------

ALL_ACTIONS: dict[str, Any] = {
    "submit": lambda actor, pk: services.application_submit(actor=actor, application_id=pk),
    "start_review": lambda actor, pk: services.application_start_review(actor=actor, application_id=pk),
    "request_info": lambda actor, pk: services.application_request_info(
        actor=actor, application_id=pk, note="?"
    ),
    "respond": lambda actor, pk: services.application_respond(actor=actor, application_id=pk, note="!"),
    "approve": lambda actor, pk: services.application_approve(actor=actor, application_id=pk, **TERMS),
    "decline": lambda actor, pk: services.application_decline(actor=actor, application_id=pk, reason="No"),
    "withdraw": lambda actor, pk: services.application_withdraw(actor=actor, application_id=pk),
}
OWNER_ACTIONS = {"submit", "respond", "withdraw"}
ALLOWED_FROM = {
    "submit": {Status.DRAFT},
    "start_review": {Status.SUBMITTED},
    "request_info": {Status.IN_REVIEW},
    "respond": {Status.INFO_REQUESTED},
    "approve": {Status.IN_REVIEW},
    "decline": {Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED},
    "withdraw": {Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED},
}
WRONG_STATE = [
    pytest.param(action, status, id=f"{action}-from-{status}")
    for action in ALL_ACTIONS
    for status in Status
    if status not in ALLOWED_FROM[action]
]


@pytest.mark.parametrize(("action", "status"), WRONG_STATE)
def test_action_refused_with_409_when_state_does_not_allow_it(
    action: str, status: Status, owner_a: Any, banker_x: Any
) -> None:
    application = at(status, owner_a, banker_x)
    actor = owner_a if action in OWNER_ACTIONS else banker_x
    before = snapshot(application)
    if action not in OWNER_ACTIONS and status == Status.DRAFT:
        expected: type[Exception] = NotFound  # a draft is invisible to the banker
    else:
        expected = InvalidTransition
    with pytest.raises(expected):
        ALL_ACTIONS[action](actor, application.pk)
    assert snapshot(application) == before


@pytest.mark.parametrize("action", list(ALL_ACTIONS))
def test_action_refused_with_403_for_the_wrong_role(action: str, owner_a: Any, banker_x: Any) -> None:
    status = next(iter(ALLOWED_FROM[action] - {Status.DRAFT}), Status.DRAFT)
    application = at(status, owner_a, banker_x)
    wrong = banker_x if action in OWNER_ACTIONS else owner_a
    before = snapshot(application)
    with pytest.raises(Forbidden):
        ALL_ACTIONS[action](wrong, application.pk)
    assert snapshot(application) == before


@pytest.mark.parametrize("action", list(ALL_ACTIONS))
def test_action_refused_with_404_for_another_users_application(
    action: str, owner_a: Any, owner_b: Any, banker_x: Any, banker_y: Any
) -> None:
    status = next(iter(ALLOWED_FROM[action] - {Status.DRAFT}), Status.DRAFT)
    application = at(status, owner_a, banker_x)
    other = owner_b if action in OWNER_ACTIONS else banker_y
    before = snapshot(application)
    with pytest.raises(NotFound):
        ALL_ACTIONS[action](other, application.pk)
    assert snapshot(application) == before


def test_update_refused_once_submitted(owner_a: Any, banker_x: Any) -> None:
    application = at(Status.SUBMITTED, owner_a, banker_x)
    before = snapshot(application)
    with pytest.raises(InvalidTransition):
        services.application_update(actor=owner_a, application_id=application.pk, fields={"term_months": 12})
    assert snapshot(application) == before


def banker_with(**profile: Any) -> Any:
    return BankerFactory(**{f"profile__{k}": v for k, v in profile.items()})


@pytest.mark.parametrize(
    ("profile", "amount", "code", "words"),
    [
        (
            {"verification_status": VerificationStatus.PENDING},
            "250000",
            "banker_not_verified",
            "not verified",
        ),
        (
            {"verification_status": VerificationStatus.REJECTED},
            "250000",
            "banker_not_verified",
            "not verified",
        ),
        ({"accepting_new_clients": False}, "250000", "banker_not_accepting", "not accepting new clients"),
        ({"products": [Product.SBA_LOAN]}, "250000", "product_not_offered", "does not offer term loan"),
        ({}, "10000", "amount_below_minimum", "below this banker's minimum of $50,000.00."),
        ({}, "3000000", "amount_above_maximum", "above this banker's maximum of $2,000,000.00."),
    ],
)
def test_submit_refused_when_not_eligible_says_which_rule(
    owner_a: Any, profile: dict[str, Any], amount: str, code: str, words: str
) -> None:
    banker = banker_with(**profile)
    draft = DraftFactory(owner=owner_a, amount=Decimal(amount))
    before = snapshot(draft)
    with pytest.raises(NotEligible) as caught:
        services.application_submit(actor=owner_a, application_id=draft.pk, banker_id=banker.pk)
    assert caught.value.code == code
    assert words in caught.value.detail
    assert snapshot(draft) == before


def test_submit_refused_without_a_banker(owner_a: Any) -> None:
    draft = DraftFactory(owner=owner_a)
    with pytest.raises(NotEligible) as caught:
        services.application_submit(actor=owner_a, application_id=draft.pk)
    assert caught.value.code == "banker_required"


def test_submit_allows_a_banker_without_maximum(owner_a: Any) -> None:
    banker = banker_with(max_loan_amount=None)
    draft = DraftFactory(owner=owner_a, amount=Decimal("90000000"))
    services.application_submit(actor=owner_a, application_id=draft.pk, banker_id=banker.pk)
    assert BankerProfile.objects.get(pk=banker.pk).max_loan_amount is None


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"approved_amount": Decimal("0")}, "approved_amount"),
        ({"interest_rate": Decimal("-1")}, "interest_rate"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 1000}, "term_months"),
    ],
)
def test_approve_refuses_bad_terms_naming_the_field(
    owner_a: Any, banker_x: Any, terms: dict[str, Any], field: str
) -> None:
    application = at(Status.IN_REVIEW, owner_a, banker_x)
    before = snapshot(application)
    with pytest.raises(ValidationError) as caught:
        services.application_approve(actor=banker_x, application_id=application.pk, **{**TERMS, **terms})
    assert field in caught.value.message_dict
    assert snapshot(application) == before


def test_request_info_and_decline_need_their_text(owner_a: Any, banker_x: Any) -> None:
    application = at(Status.IN_REVIEW, owner_a, banker_x)
    before = snapshot(application)
    with pytest.raises(ValidationError):
        services.application_request_info(actor=banker_x, application_id=application.pk, note="  ")
    with pytest.raises(ValidationError):
        services.application_decline(actor=banker_x, application_id=application.pk, reason="")
    assert snapshot(application) == before


def test_events_cannot_be_changed_or_deleted(owner_a: Any, banker_x: Any) -> None:
    application = at(Status.SUBMITTED, owner_a, banker_x)
    services.application_start_review(actor=banker_x, application_id=application.pk)
    event = ApplicationEvent.objects.get()
    event.note = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ApplicationEvent.objects.all().update(note="x")
    with pytest.raises(TypeError):
        ApplicationEvent.objects.all().delete()
    assert ApplicationEvent.objects.get().note == ""


def test_approval_email_carries_terms_and_an_absolute_link(
    owner_a: Any, banker_x: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://bank.example.com"
    application = at(Status.IN_REVIEW, owner_a, banker_x)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(actor=banker_x, application_id=application.pk, **TERMS)
    send_queued_emails()
    (message,) = mail.outbox
    assert message.to == [owner_a.email]
    assert "$200,000.00" in message.body  # one money format (b2bbank.display)
    assert "7.25% per year" in message.body
    assert "48 months" in message.body
    assert f"https://bank.example.com/login/?next=%2Fapplications%2F{application.pk}%2F" in message.body


def test_decline_reason_is_on_the_timeline(owner_a: Any, banker_x: Any) -> None:
    application = at(Status.SUBMITTED, owner_a, banker_x)
    services.application_decline(actor=banker_x, application_id=application.pk, reason="Outside our sector")
    assert application.events.get().note == "Outside our sector"


def test_a_transition_costs_a_fixed_handful_of_queries(
    owner_a: Any, banker_x: Any, django_assert_num_queries: Any
) -> None:
    application = at(Status.SUBMITTED, owner_a, banker_x)
    # savepoint, the banker still verified, lock, the live tracks and their offers,
    # track update, application update, event, audit record, the owner
    # (recipient), notification (savepoint, insert, its email job, release), release
    with django_assert_num_queries(15):
        services.application_start_review(actor=banker_x, application_id=application.pk)
