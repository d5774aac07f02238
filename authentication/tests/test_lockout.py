"""Lockout done right (OWASP authentication cheat sheet): the account locks, the
address is only slowed, and the messages tell the truth."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD
from b2bbank.throttling import ScopedRateThrottle

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
TOKEN = "/api/v1/auth/token/"


def _page_login(client: Client, email: str, password: str) -> Any:
    return client.post(LOGIN, {"username": email, "password": password})


def _fail_until_locked(client: Client, email: str) -> None:
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _page_login(client, email, "wrong-password-123")


def test_a_locked_account_refuses_even_the_right_password(owner_a: User) -> None:
    client = Client()
    _fail_until_locked(client, owner_a.email)
    response = _page_login(client, owner_a.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "reset your password" in page
    assert reverse("account_reset_password") in page
    assert f"{django_settings.AXES_FAILURE_LIMIT} failed attempts" in page
    assert django_settings.B2BBANK_SUPPORT_EMAIL in page
    assert response["Retry-After"] == str(int(django_settings.AXES_COOLOFF_TIME.total_seconds()))


def test_colleagues_on_the_same_address_still_sign_in_when_one_account_is_locked(
    owner_a: User, owner_b: User
) -> None:
    office = {"REMOTE_ADDR": "203.0.113.7"}
    attacker = Client(**office)
    _fail_until_locked(attacker, owner_a.email)
    assert _page_login(Client(**office), owner_a.email, PASSWORD).status_code == 429
    colleague = Client(**office)
    response = _page_login(colleague, owner_b.email, PASSWORD)
    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(owner_b.pk)
    token = APIClient(**office).post(TOKEN, {"email": owner_b.email, "password": PASSWORD}, format="json")
    assert token.status_code == 200


def test_lockout_answers_the_same_for_an_address_without_an_account(owner_a: User) -> None:
    client = Client()
    _fail_until_locked(client, owner_a.email)
    _fail_until_locked(client, "nobody@example.com")
    known = _page_login(client, owner_a.email, PASSWORD)
    unknown = _page_login(client, "nobody@example.com", PASSWORD)
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
    api = APIClient()
    known_api = api.post(TOKEN, {"email": owner_a.email, "password": PASSWORD}, format="json")
    unknown_api = api.post(TOKEN, {"email": "nobody@example.com", "password": PASSWORD}, format="json")
    assert (known_api.status_code, known_api.json()) == (unknown_api.status_code, unknown_api.json())
    assert known_api.json()["code"] == "locked_out"


def test_a_password_reset_lifts_the_lock(owner_a: User, django_capture_on_commit_callbacks: Any) -> None:
    from django.core import mail

    from accounts.tests.mailbox import only_key

    client = Client()
    _fail_until_locked(client, owner_a.email)
    api = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/auth/password/reset/", {"email": owner_a.email}, format="json")
    key = only_key(mail.outbox[-1].body)
    new = "a-fresh-passphrase-42"
    assert (
        api.post(
            "/api/v1/auth/password/reset/confirm/", {"key": key, "new_password": new}, format="json"
        ).status_code
        == 200
    )
    assert _page_login(client, owner_a.email, new).status_code == 302


def test_the_address_is_slowed_with_a_wait_time_never_locked(
    owner_a: User, owner_b: User, monkeypatch: Any
) -> None:
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "login": "3/min"}
    )
    office = {"REMOTE_ADDR": "198.51.100.9"}
    for _ in range(3):
        _page_login(Client(**office), owner_a.email, "wrong-password-123")
    slowed = _page_login(Client(**office), owner_b.email, PASSWORD)
    assert slowed.status_code == 429
    page = slowed.content.decode()
    assert "Wait" in page
    assert "seconds" in page
    assert "no account has been locked" in page
    assert _page_login(Client(REMOTE_ADDR="192.0.2.1"), owner_b.email, PASSWORD).status_code == 302
    assert _page_login(Client(REMOTE_ADDR="192.0.2.1"), owner_a.email, PASSWORD).status_code == 302, (
        "three failures slowed the address; they did not lock the account"
    )
