from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from loans import services
from loans.models import Status
from loans.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_filters_and_shows_read_only_timeline(staff: Any, owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    services.application_start_review(actor=banker_x, application_id=application.pk, note="Looking now")
    client = Client()
    client.force_login(staff)
    listing = client.get(
        reverse("admin:loans_loanapplication_changelist"),
        {"status__exact": "in_review", "product__exact": "term_loan", "banker__id__exact": banker_x.pk},
    )
    assert listing.status_code == 200
    assert application.reference in listing.content.decode()
    change = client.get(reverse("admin:loans_loanapplication_change", args=[application.pk]))
    page = change.content.decode()
    assert "Looking now" in page
    assert 'name="events-0-note"' not in page  # read-only inline: no inputs
    assert client.get(reverse("admin:loans_loanapplication_add")).status_code == 403


def test_admin_cannot_edit_or_delete_applications(staff: Any, owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x)
    client = Client()
    client.force_login(staff)
    url = reverse("admin:loans_loanapplication_change", args=[application.pk])
    response = client.post(url, {"status": "approved"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert client.get(reverse("admin:loans_loanapplication_delete", args=[application.pk])).status_code == 403


def test_admin_finds_an_application_by_reference(staff: Any, owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x)
    other = ApplicationFactory(owner=owner_a, banker=banker_x)
    client = Client()
    client.force_login(staff)
    response = client.get(
        reverse("admin:loans_loanapplication_changelist"), {"q": application.reference.lower()}
    )
    assert list(response.context["cl"].result_list) == [application]
    response = client.get(reverse("admin:loans_loanapplication_changelist"), {"q": "owner.a@example"})
    assert set(response.context["cl"].result_list) == {application, other}
