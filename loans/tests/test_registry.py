"""Every action in loans.actions.REGISTRY, walked through the API and the page:
the registry alone drives the routes, the role, the input, the service, the
page's form and its confirmation step."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from loans.actions import REGISTRY, Action, ActionSpec
from loans.models import ApplicationTrack, LoanApplication, Offer, Status
from loans.tests.factories import ApplicationFactory, DraftFactory

pytestmark = pytest.mark.django_db

# For each action: the application's starting status and a valid body (API
# field names; the page prefixes them with the action).
WALK: dict[Action, tuple[Status, dict[str, Any]]] = {
    Action.SUBMIT: (Status.DRAFT, {"bankers": "BANKER"}),
    Action.START_REVIEW: (Status.SUBMITTED, {}),
    Action.REQUEST_INFO: (Status.IN_REVIEW, {"note": "Latest accounts?"}),
    Action.RESPOND: (Status.INFO_REQUESTED, {"note": "Attached"}),
    Action.APPROVE: (
        Status.IN_REVIEW,
        {"approved_amount": "200000.00", "interest_rate": "7.250", "term_months": 48},
    ),
    Action.DECLINE: (Status.SUBMITTED, {"reason": "Outside our sector"}),
    Action.WITHDRAW: (Status.SUBMITTED, {}),
    Action.OFFER_ACCEPT: (Status.APPROVED, {}),
    Action.OFFER_DECLINE: (Status.APPROVED, {"reason": "Found better"}),
    Action.OFFER_WITHDRAW: (Status.APPROVED, {}),
}


def test_every_registered_action_is_walked() -> None:
    assert set(WALK) == set(REGISTRY)


def _start(spec: ActionSpec, owner: Any, banker: Any) -> tuple[LoanApplication, Offer | None]:
    status, _ = WALK[spec.action]
    if status == Status.DRAFT:
        return DraftFactory(owner=owner), None
    application = ApplicationFactory(owner=owner, banker=banker, status=status)
    return application, Offer.objects.filter(track__application=application).first()


def _actor(spec: ActionSpec, owner: Any, banker: Any) -> Any:
    return owner if spec.role == "business_owner" else banker


def _body(spec: ActionSpec, banker: Any) -> dict[str, Any]:
    body = dict(WALK[spec.action][1])
    if body.get("bankers") == "BANKER":
        body["bankers"] = [banker.pk]
    return body


def _track_status(application: LoanApplication) -> str:
    return ApplicationTrack.objects.get(application=application).status


@pytest.mark.parametrize("action", list(REGISTRY))
def test_each_action_works_through_the_api(api_as: Any, owner_a: Any, banker_x: Any, action: Action) -> None:
    spec = REGISTRY[action]
    application, offer = _start(spec, owner_a, banker_x)
    name = f"api:application-{spec.action.value}"
    kwargs = {"pk": application.pk, **({"offer": offer.pk} if offer else {})}
    response = api_as(_actor(spec, owner_a, banker_x)).post(
        reverse(name, kwargs=kwargs), _body(spec, banker_x), format="json"
    )
    assert response.status_code == 200, response.json()
    assert _track_status(application) == spec.target
    wrong = api_as(banker_x if spec.role == "business_owner" else owner_a)
    assert wrong.post(reverse(name, kwargs=kwargs), {}, format="json").status_code == 403


@pytest.mark.parametrize("action", list(REGISTRY))
def test_each_action_works_through_its_page(owner_a: Any, banker_x: Any, action: Action) -> None:
    spec = REGISTRY[action]
    application, offer = _start(spec, owner_a, banker_x)
    client = Client()
    client.force_login(_actor(spec, owner_a, banker_x))
    detail = client.get(reverse("loans:detail", args=[application.pk])).content.decode()
    args = [application.pk, offer.pk, spec.path_segment] if offer else [application.pk, spec.path_segment]
    page_url = reverse("loans:offer-action" if offer else "loans:action", args=args)
    assert page_url in detail  # the detail page offers it (a button, or its form)
    assert client.get(page_url).status_code == 200
    form = {f"{spec.action.value}-{k}": v for k, v in _body(spec, banker_x).items()}
    first = client.post(page_url, form)
    if spec.confirm:
        assert first.status_code == 200  # the confirmation step; nothing done yet
        assert "Nothing is sent until you confirm" in first.content.decode()
        assert ApplicationTrack.objects.filter(application=application).count() <= 1
        first = client.post(page_url, {**form, "confirmed": "1"})
    assert first.status_code == 302, first.content.decode()[:2000]
    assert _track_status(application) == spec.target
