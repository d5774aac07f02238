"""The basics a bank's customer expects: terms and privacy with consent
recorded at sign-up, a support page, closing an account on request."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import TermsConsent, User
from accounts.tests.factories import PASSWORD
from audit.models import AuditRecord
from authentication.models import ApiToken
from loans.models import LoanApplication
from loans.tests.factories import ApplicationFactory
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db

PAGE_SIGNUP = {
    "first_name": "Tess",
    "last_name": "Terms",
    "email": "tess@example.com",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
    "company_name": "Tess Co",
    "industry": "retail",
    "years_in_business": "1",
    "country": "US",
}


def test_signup_page_records_the_accepted_versions_and_time() -> None:
    response = Client().post(reverse("accounts:signup-owner"), {**PAGE_SIGNUP, "accept_terms": "on"})
    assert response.status_code == 302
    consent = TermsConsent.objects.get(user__email="tess@example.com")
    assert (consent.terms_version, consent.privacy_version) == (
        settings.B2BBANK_TERMS_VERSION,
        settings.B2BBANK_PRIVACY_VERSION,
    )
    assert consent.accepted_at is not None


def test_signup_page_without_consent_creates_nothing() -> None:
    response = Client().post(reverse("accounts:signup-owner"), PAGE_SIGNUP)
    assert response.status_code == 200
    assert "Accept the terms of use and the privacy notice" in response.content.decode()
    assert not User.objects.exists()


def test_signup_api_requires_accept_terms_true() -> None:
    body = {
        "email": "api.tess@example.com",
        "password": PASSWORD,
        "first_name": "Tess",
        "last_name": "Api",
        "company_name": "Tess Co",
        "industry": "retail",
    }
    client = APIClient()
    for value in (None, False):
        sent = body if value is None else {**body, "accept_terms": value}
        response = client.post("/api/v1/auth/signup/business-owner/", sent, format="json")
        assert response.status_code == 400
        assert "accept_terms" in response.json()
    assert (
        client.post(
            "/api/v1/auth/signup/business-owner/", {**body, "accept_terms": True}, format="json"
        ).status_code
        == 201
    )
    assert TermsConsent.objects.filter(user__email="api.tess@example.com").count() == 1


@pytest.mark.parametrize("name", ["accounts:terms", "accounts:privacy", "accounts:support"])
def test_terms_privacy_and_support_pages_are_public(name: str) -> None:
    page = Client().get(reverse(name)).content.decode()
    assert settings.B2BBANK_TERMS_VERSION in page or settings.B2BBANK_SUPPORT_EMAIL in page


def test_closing_the_account_ends_sign_in_keeps_records_and_says_so(
    owner_a: User, banker_x: User, django_capture_on_commit_callbacks: Any
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x)
    token = ApiToken.objects.create(user=owner_a, key_hash="x" * 64, expires_at="2999-01-01T00:00:00Z")
    client = Client()
    client.force_login(owner_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:account-close"), {"password": PASSWORD, "confirm": "on"}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("accounts:account-closed")
    assert "What we keep" in response.content.decode()
    owner_a.refresh_from_db()
    assert not owner_a.is_active
    assert client.get(reverse("accounts:owner-home")).status_code == 302, "signed out"
    signin = APIClient().post(
        "/api/v1/auth/token/", {"email": owner_a.email, "password": PASSWORD}, format="json"
    )
    assert signin.status_code == 400
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert LoanApplication.objects.filter(pk=application.pk).exists(), "records are kept"
    send_queued_emails()
    [told] = [m for m in mail.outbox if m.to == [owner_a.email]]
    assert "What we keep" in told.body
    assert AuditRecord.objects.filter(action="auth.user_deactivated", target_id=str(owner_a.pk)).exists()


def test_closing_needs_the_password(owner_a: User) -> None:
    client = Client()
    client.force_login(owner_a)
    response = client.post(
        reverse("accounts:account-close"), {"password": "not-mine-at-all", "confirm": "on"}
    )
    assert response.status_code == 200
    owner_a.refresh_from_db()
    assert owner_a.is_active
