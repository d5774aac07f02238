"""Wording (issue #16, defect 5): what pages, notifications and emails say,
in plain English, with one money format everywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from b2bbank.display import excerpt
from loans import services
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from notifications.models import Notification
from notifications.services import notification_create

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_owner_answer_reads_as_an_answer_and_notification_in_words(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    services.application_start_review(actor=banker_x, application_id=application.pk)
    services.application_request_info(actor=banker_x, application_id=application.pk, note="Accounts?")
    services.application_respond(actor=owner_a, application_id=application.pk, note="Attached.")
    page = client_for(banker_x).get(f"/applications/{application.pk}/").content.decode()
    assert f"<strong>Answer sent</strong> · {owner_a.get_full_name()}" in page
    assert f"<strong>In review</strong> · {owner_a.get_full_name()}" not in page
    asked = Notification.objects.get(recipient=owner_a, kind="application.info_requested")
    assert f"{application.reference} needs more information" in asked.body
    assert "is now" not in " ".join(Notification.objects.values_list("body", flat=True))


def test_money_reads_the_same_on_pages_and_notifications(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(
        owner=owner_a, banker=banker_x, status=Status.IN_REVIEW, amount=Decimal("400000")
    )
    services.application_approve(
        actor=banker_x,
        application_id=application.pk,
        approved_amount=Decimal("400000"),
        interest_rate=Decimal("7.25"),
        term_months=48,
    )
    offer_note = Notification.objects.get(recipient=owner_a, kind="application.approved").body
    assert "Approved amount: $400,000.00" in offer_note
    assert "USD" not in offer_note
    page = client_for(owner_a).get(f"/applications/{application.pk}/").content.decode()
    assert "$400,000.00" in page
    assert "400,000.00 USD" not in page


def test_notification_bodies_are_cut_between_words() -> None:
    text = "word " * 100
    short = excerpt(text, 200)
    assert len(short) <= 200
    assert short.endswith("word…")
    assert excerpt("x" * 500, 200) == "x" * 199 + "…"
    assert excerpt("short", 200) == "short"


def test_notification_list_cuts_long_bodies_between_words(owner_a: Any) -> None:
    notification_create(
        recipient=owner_a, kind="application.submitted", title="T", body="alpha " * 60, email=False
    )
    page = client_for(owner_a).get("/notifications/").content.decode()
    assert "alpha…" in page
    assert "alph…" not in page


def test_pending_banker_empty_notifications_speak_to_a_banker(pending_banker: Any) -> None:
    page = client_for(pending_banker).get("/notifications/").content.decode()
    assert "your applications" not in page
    assert "when your profile is verified" in page


def test_directory_sort_menu_lists_each_order_once(owner_a: Any) -> None:
    client = client_for(owner_a)
    for query, first in (("", "Newest bankers first"), ("?q=loans", "Best match")):
        page = client.get(f"/bankers/{query}").content.decode()
        assert "Best match, or newest" not in page
        assert page.count(">Best match<") == (1 if query else 0)
        menu = page[page.index('name="ordering"') :]
        assert menu.index(first) < menu.index("Lowest minimum loan first")


def test_pipeline_stages_follow_the_work_and_waiting_reads_as_a_duration(banker_x: Any) -> None:
    ApplicationFactory(banker=banker_x, status=Status.IN_REVIEW)
    ApplicationFactory(banker=banker_x, status=Status.INFO_REQUESTED)
    ApplicationFactory(banker=banker_x, status=Status.SUBMITTED)
    page = client_for(banker_x).get("/pipeline/").content.decode()
    assert page.index("Submitted") < page.index("In review") < page.index("Information requested")
    assert 'data-label="Waiting for"' in page
    assert "under a minute</time>" in page
    assert " ago</time>" not in page


def test_amount_box_is_text_so_letters_get_a_real_message(owner_a: Any) -> None:
    client = client_for(owner_a)
    page = client.get("/applications/new/").content.decode()
    box = page[page.index('name="amount"') - 200 : page.index('name="amount"') + 200]
    assert 'type="text"' in box
    assert 'inputmode="decimal"' in box
    response = client.post(
        "/applications/new/",
        {"product": "term_loan", "amount": "abc", "term_months": "36", "purpose": "Vans"},
    )
    assert "Enter a plain number" in response.content.decode()
    assert "This field is required." not in response.content.decode()
