"""Each user's time zone (issue #16, defect 2): picked up from the browser at
sign-up, editable on the profile page and through me/, checked against
zoneinfo, and every server-rendered time shown in it, the zone named."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.test_api import OWNER_BODY
from accounts.tests.test_views import ACCOUNT, OWNER_PROFILE
from loans import services
from loans.models import LoanApplication, Status
from loans.tests.factories import ApplicationFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db

OAKLAND = "America/Los_Angeles"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("sent", "kept"), [(OAKLAND, OAKLAND), ("Mars/Olympus", "UTC"), ("", "UTC")])
def test_signup_page_takes_the_browsers_zone_or_utc(client: Client, sent: str, kept: str) -> None:
    client.post(reverse("accounts:signup-owner"), {**ACCOUNT, **OWNER_PROFILE, "time_zone": sent})
    assert User.objects.get().time_zone == kept


def test_signup_page_carries_the_hidden_zone_field_and_its_script(client: Client) -> None:
    page = client.get(reverse("accounts:signup-owner")).content.decode()
    assert 'type="hidden" name="time_zone"' in page
    assert "js/time_zone.js" in page


def test_signup_api_takes_a_zone_and_refuses_an_unknown_one(api_client: APIClient) -> None:
    url = "/api/v1/auth/signup/business-owner/"
    refused = api_client.post(url, {**OWNER_BODY, "time_zone": "Mars/Olympus"}, format="json")
    assert refused.status_code == 400
    assert "time_zone" in refused.json()
    assert not User.objects.exists()
    assert api_client.post(url, {**OWNER_BODY, "time_zone": OAKLAND}, format="json").status_code == 201
    assert User.objects.get().time_zone == OAKLAND


def test_me_reads_and_changes_the_zone_and_refuses_an_unknown_one(owner_a: User) -> None:
    client = APIClient()
    client.force_authenticate(owner_a)
    assert client.get("/api/v1/me/").json()["time_zone"] == "UTC"
    refused = client.patch("/api/v1/me/", {"time_zone": "Europe/Atlantis"}, format="json")
    assert refused.status_code == 400
    assert "time_zone" in refused.json()
    owner_a.refresh_from_db()
    assert owner_a.time_zone == "UTC"
    assert client.patch("/api/v1/me/", {"time_zone": OAKLAND}, format="json").json()["time_zone"] == OAKLAND


def test_profile_page_changes_the_zone(owner_a: User) -> None:
    client = signed_in(owner_a)
    profile = owner_a.owner_profile
    data = {
        "first_name": owner_a.first_name,
        "last_name": owner_a.last_name,
        "time_zone": "Europe/Paris",
        "company_name": profile.company_name,
        "industry": profile.industry,
        "years_in_business": profile.years_in_business,
        "country": "US",
    }
    assert client.post("/account/profile/", data).status_code == 302
    owner_a.refresh_from_db()
    assert owner_a.time_zone == "Europe/Paris"
    refused = client.post("/account/profile/", {**data, "time_zone": "Nowhere/Town"})
    assert "time_zone" in refused.context["names_form"].errors
    assert 'value="Europe/Paris" selected' in client.get("/account/profile/").content.decode()


def test_times_on_a_page_are_in_the_users_zone_with_the_zone_named(owner_a: User, banker_x: User) -> None:
    owner_a.time_zone = OAKLAND
    owner_a.save(update_fields=["time_zone"])
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    services.application_start_review(actor=banker_x, application_id=application.pk)
    LoanApplication.objects.filter(pk=application.pk).update(
        submitted_at=datetime(2026, 1, 5, 14, 54, tzinfo=UTC)
    )
    owner_page = signed_in(owner_a).get(f"/applications/{application.pk}/").content.decode()
    assert "Jan 5, 2026, 06:54" in owner_page
    assert f"Times in {OAKLAND}" in owner_page
    banker_page = signed_in(banker_x).get(f"/applications/{application.pk}/").content.decode()
    assert "Jan 5, 2026, 14:54" in banker_page
    assert "Times in UTC" in banker_page


def test_an_offers_expiry_reads_in_the_owners_zone(owner_a: User, banker_x: User) -> None:
    owner_a.time_zone = OAKLAND
    owner_a.save(update_fields=["time_zone"])
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    services.application_approve(
        actor=banker_x,
        application_id=application.pk,
        approved_amount=Decimal("200000"),
        interest_rate=Decimal("7"),
        term_months=36,
        expires_at=datetime(2027, 1, 10, 20, 0, tzinfo=UTC),
    )
    body = Notification.objects.get(recipient=owner_a, kind="application.approved").body
    assert "Expires: Jan 10, 2027, 12:00 PST" in body


def test_a_row_written_outside_django_gets_utc() -> None:
    """Bulk loaders and raw SQL (bench/directory/load.sql) name no time zone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, email, first_name, last_name, role,"
            " is_staff, is_active, date_joined) VALUES ('!', false, 'raw@example.com', 'Raw', 'Row',"
            " 'business_owner', false, true, now()) RETURNING time_zone"
        )
        assert cursor.fetchone() == ("UTC",)
