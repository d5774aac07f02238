"""An unconfirmed address may sign in and browse, but not submit an application
or start a conversation (DESIGN.md, Accounts), on every surface."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import OwnerFactory
from chat.models import Conversation
from loans.models import LoanApplication, Status
from loans.tests.factories import DraftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(db: Any) -> User:
    return OwnerFactory(email="unconfirmed@example.com", email_verified=False)


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_unverified_owner_submit_is_403_email_unverified_and_the_draft_stays(
    unverified: User, banker_x: User
) -> None:
    draft = DraftFactory(owner=unverified)
    response = _api(unverified).post(
        reverse("api:application-submit", kwargs={"pk": draft.pk}), {"banker": banker_x.pk}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "email_unverified")
    draft.refresh_from_db()
    assert (draft.status, draft.banker_id) == (Status.DRAFT, None)


def test_unverified_owner_may_still_save_a_draft_and_browse(unverified: User) -> None:
    client = _api(unverified)
    body = {"product": "term_loan", "amount": "250000.00", "term_months": 36, "purpose": "A new oven"}
    assert client.post(reverse("api:application-list"), body, format="json").status_code == 201
    assert client.get(reverse("api:me")).status_code == 200
    assert client.get("/api/v1/bankers/").status_code == 200


def test_unverified_owner_conversation_start_is_403_email_unverified(
    unverified: User, banker_x: User
) -> None:
    response = _api(unverified).post(reverse("api:conversations"), {"banker": banker_x.pk, "message": "Hi"})
    assert (response.status_code, response.json()["code"]) == (403, "email_unverified")
    assert not Conversation.objects.exists()


def test_submit_page_keeps_the_draft_and_the_refusal_offers_to_send_the_link_again(
    unverified: User, banker_x: User
) -> None:
    client = Client()
    client.force_login(unverified)
    form = {"product": "term_loan", "amount": "250000", "term_months": "36", "purpose": "Oven"}
    response = client.post(
        reverse("loans:new"), {**form, "banker": banker_x.pk, "intent": "submit"}, follow=True
    )
    assert "Saved as a draft but not sent: Confirm your email address first" in response.content.decode()
    draft = LoanApplication.objects.get()
    assert draft.status == Status.DRAFT
    refused = client.post(
        reverse("loans:action", args=[draft.pk, "submit"]), {"submit-bankers": [banker_x.pk]}
    )
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Confirm your email address first" in page
    assert "Email me a new confirmation link" in page
    assert reverse("authentication:email-status") in page


def test_email_status_page_resends_the_link(
    unverified: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(unverified)
    assert "Not confirmed" in client.get(reverse("authentication:email-status")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("authentication:email-status"), follow=True)
    assert "We have emailed a new confirmation link" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["unconfirmed@example.com"]]


def test_the_rule_is_off_with_require_verified_email_0(
    unverified: User, banker_x: User, settings: Any
) -> None:
    settings.B2BBANK_REQUIRE_VERIFIED_EMAIL = False
    response = _api(unverified).post(reverse("api:conversations"), {"banker": banker_x.pk})
    assert response.status_code == 201


def test_confirming_through_the_page_link_lifts_the_rule(
    banker_x: User, django_capture_on_commit_callbacks: Any
) -> None:
    from accounts.tests.mailbox import links_in

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            reverse("accounts:signup-owner"),
            {
                "first_name": "Ola",
                "last_name": "New",
                "email": "ola.new@example.com",
                "password": "correct-horse-battery-9",
                "password_confirm": "correct-horse-battery-9",
                "accept_terms": "on",
                "company_name": "Ola Co",
                "industry": "retail",
                "years_in_business": "2",
                "country": "US",
            },
        )
    [welcome] = mail.outbox
    (link,) = links_in(welcome.body)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = Client()
    assert "Confirm my address" in client.get(f"/{path}").content.decode()
    client.post(f"/{path}")
    user = User.objects.get(email="ola.new@example.com")
    assert _api(user).post(reverse("api:conversations"), {"banker": banker_x.pk}).status_code == 201
