"""Over-long text is refused with a message, never cut (issue #16, defect 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from loans import services
from loans.models import NOTE_MAX, Status
from loans.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PASTED = "p" * 10_000


def asked(owner: Any, banker: Any) -> Any:
    application = ApplicationFactory(owner=owner, banker=banker, status=Status.IN_REVIEW)
    services.application_request_info(actor=banker, application_id=application.pk, note="Accounts?")
    return application


def test_page_refuses_an_over_long_answer_and_keeps_all_of_it(owner_a: Any, banker_x: Any) -> None:
    application = asked(owner_a, banker_x)
    before = application.events.count()
    client = Client()
    client.force_login(owner_a)
    response = client.post(
        reverse("loans:action", args=[application.pk, "respond"]), {"respond-note": PASTED}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"at most {NOTE_MAX} characters (it has 10000)" in page
    assert PASTED in page
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
    assert application.events.count() == before


def test_api_refuses_an_over_long_answer_naming_the_field(owner_a: Any, banker_x: Any) -> None:
    application = asked(owner_a, banker_x)
    client = APIClient()
    client.force_authenticate(owner_a)
    response = client.post(f"/api/v1/applications/{application.pk}/respond/", {"note": PASTED}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
