"""Text built from user input (a notification's title from a person's name, its
body from a note and conditions) is shortened to fit, never validated against
it: valid long input can never block the action that caused it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory
from loans import services
from loans.models import CONDITIONS_MAX, Status
from loans.tests.factories import DraftFactory
from notifications.models import BODY_MAX, TITLE_MAX, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_named() -> tuple[Any, Any]:
    owner = OwnerFactory(first_name="O" * 150, last_name="W" * 150)
    banker = BankerFactory(first_name="B" * 150, last_name="K" * 150)
    return owner, banker


def test_every_transition_works_for_people_with_150_character_names(long_named: tuple[Any, Any]) -> None:
    owner, banker = long_named
    application = DraftFactory(owner=owner)
    services.application_submit(actor=owner, application_id=application.pk, banker_id=banker.pk)
    services.application_start_review(actor=banker, application_id=application.pk)
    services.application_request_info(actor=banker, application_id=application.pk, note="n" * 2000)
    services.application_respond(actor=owner, application_id=application.pk, note="r" * 2000)
    services.application_approve(
        actor=banker,
        application_id=application.pk,
        approved_amount=Decimal("100000.00"),
        interest_rate=Decimal("7.5"),
        term_months=36,
        conditions="c" * CONDITIONS_MAX,
        note="a" * 2000,
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    titles = list(Notification.objects.values_list("title", flat=True))
    assert len(titles) == 5
    # Shortened to fit, between words (b2bbank.display.excerpt), never mid-word.
    assert all(TITLE_MAX // 2 < len(t) <= TITLE_MAX and t.endswith("…") for t in titles)
    approval = Notification.objects.get(kind="application.approved")
    assert BODY_MAX // 2 < len(approval.body) <= BODY_MAX
    assert approval.body.endswith("…")


def test_api_submit_answers_200_for_long_names(api_as: Any, long_named: tuple[Any, Any]) -> None:
    owner, banker = long_named
    application = DraftFactory(owner=owner)
    response = api_as(owner).post(
        f"/api/v1/applications/{application.pk}/submit/", {"banker": banker.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"


def test_short_titles_are_left_whole(owner_a: Any, banker_x: Any) -> None:
    application = DraftFactory(owner=owner_a)
    services.application_submit(actor=owner_a, application_id=application.pk, banker_id=banker_x.pk)
    title = Notification.objects.get().title
    assert title == f"{owner_a.get_full_name()} submitted {application.reference}"
