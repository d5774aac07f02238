"""An action refused for bad input re-renders in place with its context (issue
#16, defect 7): the application, the banker's question and what was typed, for
every action in the registry that takes input, offers included."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from loans import services
from loans.models import LoanApplication, Status
from loans.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

QUESTION = "Please send the 2025 balance sheet and the equipment quote."
PURPOSE = "Two refrigerated vans for the catering contract."


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def asked(owner: Any, banker: Any) -> LoanApplication:
    application = ApplicationFactory(owner=owner, banker=banker, status=Status.SUBMITTED, purpose=PURPOSE)
    services.application_start_review(actor=banker, application_id=application.pk)
    services.application_request_info(actor=banker, application_id=application.pk, note=QUESTION)
    return application


def test_respond_refused_keeps_question_application_and_typed_text(owner_a: Any, banker_x: Any) -> None:
    application = asked(owner_a, banker_x)
    typed = "Attached below. " + "x" * 2100
    response = client_for(owner_a).post(
        reverse("loans:action", args=[application.pk, "respond"]), {"respond-note": typed}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert QUESTION in page
    assert PURPOSE in page
    assert typed in page
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED


@pytest.mark.parametrize(
    ("action", "data", "typed"),
    [
        (
            "approve",
            {"approve-approved_amount": "abc", "approve-conditions": "Vans as collateral"},
            "Vans as collateral",
        ),
        ("decline", {"decline-reason": ""}, None),
    ],
)
def test_banker_action_refused_keeps_application_and_typed_text(
    owner_a: Any, banker_x: Any, action: str, data: dict[str, str], typed: str | None
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW, purpose=PURPOSE)
    response = client_for(banker_x).post(reverse("loans:action", args=[application.pk, action]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert PURPOSE in page
    assert owner_a.owner_profile.company_name in page
    if typed:
        assert typed in page
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_offer_decline_refused_keeps_offer_and_application(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.APPROVED, purpose=PURPOSE)
    offer = application.tracks.get().offers.get()
    typed = "Too expensive " * 200
    response = client_for(owner_a).post(
        reverse("loans:offer-action", args=[application.pk, offer.pk, "decline"]),
        {"offer-decline-reason": typed},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert PURPOSE in page
    assert typed.strip() in page
    offer.refresh_from_db()
    assert offer.status == "open"
