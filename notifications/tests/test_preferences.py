"""Email preferences: per user and kind, honoured by the email job (in-app
notifications always on), set on the profile page and through `me/`; email
links land on their page after sign-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD, OwnerFactory
from notifications import services
from notifications.delivery import email_link
from notifications.models import Notification
from notifications.selectors import email_preferences
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db

OWNER_KINDS = {
    "application.in_review",
    "application.info_requested",
    "application.approved",
    "application.declined",
    "application.expired",
    "application.released",
    "document_request.new",
    "document.reviewed",
    "reminder.offer_expiring",
    "reminder.document_overdue",
    "reminder.info_request",
}
BANKER_KINDS = {
    "application.submitted",
    "application.in_review",
    "application.withdrawn",
    "application.accepted",
    "application.not_selected",
    "application.expired",
    "document.new",
    "banker.verification",
    "reminder.review_overdue",
}


def test_every_kind_of_the_users_role_starts_on(owner_a: Any, banker_x: Any) -> None:
    assert email_preferences(user=owner_a) == dict.fromkeys(OWNER_KINDS, True)
    assert email_preferences(user=banker_x) == dict.fromkeys(BANKER_KINDS, True)


def test_a_kind_turned_off_is_not_emailed_but_still_notified_in_the_app(owner_a: Any) -> None:
    services.email_preferences_set(user=owner_a, preferences={"application.declined": False})
    services.notification_create(recipient=owner_a, kind="application.declined", title="Declined")
    services.notification_create(recipient=owner_a, kind="application.approved", title="Approved")
    assert send_queued_emails() == 1
    assert [m.subject for m in mail.outbox] == ["Approved"]
    assert Notification.objects.filter(recipient=owner_a).count() == 2


def test_turning_a_kind_off_stops_emails_already_queued(owner_a: Any) -> None:
    services.notification_create(recipient=owner_a, kind="application.approved", title="Approved")
    services.email_preferences_set(user=owner_a, preferences={"application.approved": False})
    assert send_queued_emails() == 0
    services.email_preferences_set(user=owner_a, preferences={"application.approved": True})
    assert email_preferences(user=owner_a)["application.approved"] is True


def test_another_roles_kind_is_refused_and_nothing_changes(owner_a: Any) -> None:
    with pytest.raises(ValidationError):
        services.email_preferences_set(
            user=owner_a, preferences={"application.approved": False, "application.submitted": False}
        )
    assert all(email_preferences(user=owner_a).values())


def test_me_api_shows_and_changes_email_preferences(api_as: Any, owner_a: Any) -> None:
    client = api_as(owner_a)
    assert client.get("/api/v1/me/").json()["email_notifications"] == dict.fromkeys(OWNER_KINDS, True)
    response = client.patch(
        "/api/v1/me/", {"email_notifications": {"reminder.info_request": False}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["email_notifications"]["reminder.info_request"] is False
    assert response.json()["email_notifications"]["application.approved"] is True
    bad = client.patch("/api/v1/me/", {"email_notifications": {"nope": False}}, format="json")
    assert bad.status_code == 400
    assert "email_notifications" in bad.json()


def test_profile_page_has_a_checkbox_per_kind_and_saves_them(owner_a: Any) -> None:
    client = Client()
    client.force_login(owner_a)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Email me when" in page
    boxes = re.findall(r'<input type="checkbox" name="email-([a-z_.]+)"[^>]*>', page)
    assert set(boxes) == OWNER_KINDS
    assert page.count(" checked") >= len(OWNER_KINDS)
    form = {
        "first_name": "Ada",
        "last_name": "Owner",
        "company_name": owner_a.owner_profile.company_name,
        "industry": owner_a.owner_profile.industry,
        "years_in_business": "3",
        "country": "US",
        "email_section": "1",
        "email-application.approved": "on",
    }
    response = client.post(reverse("accounts:profile"), form, follow=True)
    assert "Your profile has been saved." in response.content.decode()
    preferences = email_preferences(user=owner_a)
    assert preferences["application.approved"] is True
    assert preferences["application.declined"] is False  # unchecked


def test_a_profile_post_without_the_email_section_keeps_the_preferences(owner_a: Any) -> None:
    client = Client()
    client.force_login(owner_a)
    form = {
        "first_name": "Ada",
        "last_name": "Owner",
        "company_name": owner_a.owner_profile.company_name,
        "industry": owner_a.owner_profile.industry,
        "years_in_business": "3",
        "country": "US",
    }
    assert client.post(reverse("accounts:profile"), form).status_code == 302
    assert all(email_preferences(user=owner_a).values())


def test_an_email_link_leads_to_its_page_after_sign_in(settings: Any) -> None:
    settings.SITE_URL = "http://testserver"
    owner = OwnerFactory(email="linked@example.com")
    url = email_link("/notifications/")
    assert url == "http://testserver/login/?next=%2Fnotifications%2F"
    client = Client()
    login_page = client.get(url)
    assert login_page.status_code == 200
    assert 'name="next" value="/notifications/"' in login_page.content.decode()
    signed_in = client.post(url, {"username": owner.email, "password": PASSWORD, "next": "/notifications/"})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/notifications/"
    # Already signed in: straight on.
    assert client.get(url)["Location"] == "/notifications/"
