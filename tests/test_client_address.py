"""One source for the client's address (B2BBANK_TRUSTED_PROXIES, none by
default): a spoofed X-Forwarded-For moves no throttle, lockout or audit row;
and every way to sign up, page or API, spends one budget per address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD
from b2bbank import throttling
from b2bbank.client_address import client_ip

pytestmark = pytest.mark.django_db

API_SIGNUP = "/api/v1/auth/signup/business-owner/"


def api_body(n: int) -> dict[str, Any]:
    return {
        "email": f"founder{n}@example.com",
        "password": PASSWORD,
        "accept_terms": True,
        "first_name": "Fay",
        "last_name": "Founder",
        "company_name": "Founder Foods",
        "industry": "hospitality",
    }


def page_body(n: int) -> dict[str, Any]:
    return {
        "first_name": "Ola",
        "last_name": "Owner",
        "email": f"page{n}@example.com",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_terms": "on",
        "company_name": "Ola Bakery",
        "industry": "hospitality",
        "years_in_business": "3",
        "country": "US",
    }


@pytest.fixture
def auth_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sign-ups a minute per address, for this test only (monkeypatch, so no
    copy of the rates stays on the subclass afterwards)."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "auth": "2/min"}
    monkeypatch.setattr(throttling.ScopedRateThrottle, "THROTTLE_RATES", rates)


def test_spoofed_forwarded_for_does_not_reset_the_api_limit(auth_rate: None) -> None:
    client = APIClient()
    codes = [client.post(API_SIGNUP, api_body(n), format="json").status_code for n in range(3)]
    assert codes == [201, 201, 429]
    spoofed = client.post(API_SIGNUP, api_body(9), format="json", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429
    assert User.objects.count() == 2


def test_page_sign_up_spends_the_same_budget_as_the_api(auth_rate: None) -> None:
    api = APIClient()
    assert [api.post(API_SIGNUP, api_body(n), format="json").status_code for n in range(3)] == [201, 201, 429]
    responses = [Client().post(reverse("accounts:signup-owner"), page_body(n)) for n in range(5)]
    assert [r.status_code for r in responses] == [429] * 5
    html = responses[0].content.decode()
    assert "Too many sign-ups from your network" in html
    assert 'value="page0@example.com"' in html  # what was typed is kept
    assert User.objects.count() == 2


def test_page_sign_ups_alone_are_limited_too(auth_rate: None) -> None:
    # A fresh browser each time: a signed-in one is sent to its dashboard.
    codes = [Client().post(reverse("accounts:signup-owner"), page_body(n)).status_code for n in range(4)]
    assert codes == [302, 302, 429, 429]
    assert User.objects.count() == 2


def meta(remote: str, forwarded: str | None = None) -> dict[str, Any]:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request.META


def test_without_trusted_proxies_the_peer_address_is_the_client(settings: Any) -> None:
    settings.B2BBANK_TRUSTED_PROXIES = []
    assert client_ip(meta("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(settings: Any) -> None:
    settings.B2BBANK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client put 203.0.113.9 there itself; the proxy appended the real peer.
    assert client_ip(meta("10.0.0.5", "203.0.113.9, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(meta("10.0.0.5", "198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_ip(meta("10.0.0.5")) == "10.0.0.5"


def test_a_request_not_from_a_trusted_proxy_cannot_forward(settings: Any) -> None:
    settings.B2BBANK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(meta("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_audit_and_lockout_read_the_same_address(settings: Any, owner_a: Any) -> None:
    from audit.models import AuditRecord

    settings.B2BBANK_TRUSTED_PROXIES = []
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/",
        {"email": owner_a.email, "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 200
    record = AuditRecord.objects.get(action="auth.token_created")
    assert record.ip_address == "198.51.100.7"
    assert settings.AXES_CLIENT_IP_CALLABLE == "b2bbank.client_address.client_ip_for_request"
