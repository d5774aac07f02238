"""Password reset, password change and email verification through the API
(DESIGN.md, Accounts)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD, OwnerFactory
from accounts.tests.mailbox import links_in, only_key
from audit.models import AuditRecord
from authentication.models import ApiToken
from authentication.services import token_create

pytestmark = pytest.mark.django_db

RESET = "/api/v1/auth/password/reset/"
CONFIRM = "/api/v1/auth/password/reset/confirm/"
CHANGE = "/api/v1/auth/password/change/"
VERIFY = "/api/v1/auth/email/verify/"
RESEND = "/api/v1/auth/email/resend/"
NEW_PASSWORD = "a-brand-new-passphrase-77"


def _reset_key(api_client: APIClient, email: str, capture: Any) -> str:
    with capture(execute=True):
        assert api_client.post(RESET, {"email": email}, format="json").status_code == 202
    return only_key(mail.outbox[-1].body)


def _token(user: User) -> tuple[str, ApiToken]:
    return token_create(request=RequestFactory().post("/"), email=user.email, password=PASSWORD)


def _can_sign_in(email: str, password: str) -> bool:
    client = APIClient()
    return (
        client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json").status_code
        == 200
    )


def test_reset_answers_the_same_status_and_body_whether_or_not_the_address_exists(
    api_client: APIClient, owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = api_client.post(RESET, {"email": owner_a.email}, format="json")
        unknown = api_client.post(RESET, {"email": "nobody@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert known.headers.get("Content-Type") == unknown.headers.get("Content-Type")
    to_owner, to_nobody = mail.outbox
    assert to_owner.to == [owner_a.email]
    assert to_nobody.to == ["nobody@example.com"]
    assert to_owner.subject == to_nobody.subject
    assert len(links_in(to_owner.body)) == 1, "the reset email carries one link"
    assert links_in(to_nobody.body) == []
    assert "no b2bbank account for this address" in to_nobody.body


def test_reset_key_from_the_email_sets_the_password_once(
    api_client: APIClient, owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    key = _reset_key(api_client, owner_a.email, django_capture_on_commit_callbacks)
    done = api_client.post(CONFIRM, {"key": key, "new_password": NEW_PASSWORD}, format="json")
    assert done.status_code == 200, done.json()
    assert _can_sign_in(owner_a.email, NEW_PASSWORD)
    again = api_client.post(CONFIRM, {"key": key, "new_password": "yet-another-passphrase-88"}, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "reset_key_invalid")
    assert _can_sign_in(owner_a.email, NEW_PASSWORD), "the second use changed nothing"
    assert AuditRecord.objects.filter(action="auth.password_reset", target_id=str(owner_a.pk)).count() == 1


def test_reset_key_is_refused_when_expired_after_one_hour(
    api_client: APIClient, owner_a: User, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from datetime import datetime, timedelta

    from allauth.account.forms import default_token_generator

    key = _reset_key(api_client, owner_a.email, django_capture_on_commit_callbacks)
    later = datetime.now() + timedelta(hours=1, seconds=5)  # noqa: DTZ005 - Django's generator uses naive local time
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = api_client.post(CONFIRM, {"key": key, "new_password": NEW_PASSWORD}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "reset_key_invalid")
    assert _can_sign_in(owner_a.email, PASSWORD)


def test_reset_key_is_refused_for_someone_elses_account(
    api_client: APIClient, owner_a: User, owner_b: User, django_capture_on_commit_callbacks: Any
) -> None:
    key = _reset_key(api_client, owner_a.email, django_capture_on_commit_callbacks)
    _, _, token = key.partition("-")
    stolen = f"{user_pk_to_url_str(owner_b)}-{token}"
    response = api_client.post(CONFIRM, {"key": stolen, "new_password": NEW_PASSWORD}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "reset_key_invalid")
    assert _can_sign_in(owner_b.email, PASSWORD)
    assert _can_sign_in(owner_a.email, PASSWORD)


def test_reset_refuses_a_weak_password_and_keeps_the_key_usable(
    api_client: APIClient, owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    key = _reset_key(api_client, owner_a.email, django_capture_on_commit_callbacks)
    weak = api_client.post(CONFIRM, {"key": key, "new_password": "12345678"}, format="json")
    assert weak.status_code == 400
    assert "new_password" in weak.json()
    assert (
        api_client.post(CONFIRM, {"key": key, "new_password": NEW_PASSWORD}, format="json").status_code == 200
    )


def test_reset_ends_every_api_token_of_the_user(
    api_client: APIClient, owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    raw, _ = _token(owner_a)
    key = _reset_key(api_client, owner_a.email, django_capture_on_commit_callbacks)
    assert (
        api_client.post(CONFIRM, {"key": key, "new_password": NEW_PASSWORD}, format="json").status_code == 200
    )
    assert not ApiToken.objects.live().filter(user=owner_a).exists()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_password_change_requires_the_current_password(owner_a: User) -> None:
    raw, _ = _token(owner_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    wrong = client.post(
        CHANGE, {"current_password": "not-it-at-all", "new_password": NEW_PASSWORD}, format="json"
    )
    assert wrong.status_code == 400
    assert "current_password" in wrong.json()
    assert _can_sign_in(owner_a.email, PASSWORD)
    assert client.post(CHANGE, {"current_password": PASSWORD}, format="json").status_code == 400


def test_password_change_ends_other_tokens_and_sessions_but_keeps_the_callers(owner_a: User) -> None:
    caller_raw, caller = _token(owner_a)
    other_raw, _other = _token(owner_a)
    browser = Client()
    browser.force_login(owner_a)
    assert browser.get("/api/v1/me/").status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {caller_raw}")
    response = client.post(
        CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert client.get("/api/v1/me/").status_code == 200, "the caller's own token keeps working"
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=f"Bearer {other_raw}")
    assert other_client.get("/api/v1/me/").status_code == 401
    assert browser.get("/api/v1/me/").status_code in (401, 403), "the browser session has ended"
    assert set(ApiToken.objects.live().values_list("pk", flat=True)) == {caller.pk}
    assert _can_sign_in(owner_a.email, NEW_PASSWORD)


def test_password_change_in_a_session_keeps_that_session_and_ends_the_others(owner_a: User) -> None:
    mine, theirs = Client(), Client()
    mine.force_login(owner_a)
    theirs.force_login(owner_a)
    response = mine.post(
        CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert mine.get("/api/v1/me/").status_code == 200
    assert theirs.get("/api/v1/me/").status_code in (401, 403)


def test_password_change_tells_the_user_by_email(
    owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = APIClient()
    client.force_authenticate(owner_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json")
    [notice] = mail.outbox
    assert notice.to == [owner_a.email]


def _signup(api_client: APIClient, email: str, capture: Any) -> User:
    body = {
        "email": email,
        "password": PASSWORD,
        "accept_terms": True,
        "first_name": "Nia",
        "last_name": "New",
        "company_name": "New Co",
        "industry": "retail",
    }
    with capture(execute=True):
        assert api_client.post("/api/v1/auth/signup/business-owner/", body, format="json").status_code == 201
    return User.objects.get(email=email)


def test_signup_email_carries_the_verification_key_and_it_verifies_once(
    api_client: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    user = _signup(api_client, "nia@example.com", django_capture_on_commit_callbacks)
    [welcome] = mail.outbox
    assert not EmailAddress.objects.get(user=user).verified
    key = only_key(welcome.body)
    assert api_client.post(VERIFY, {"key": key}, format="json").status_code == 200
    assert EmailAddress.objects.get(user=user).verified
    again = api_client.post(VERIFY, {"key": key}, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "verification_key_invalid")


def test_verification_refuses_a_made_up_key(api_client: APIClient) -> None:
    response = api_client.post(VERIFY, {"key": "MQ:1tLwX2:abc"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "verification_key_invalid")


def test_resend_sends_a_new_link_only_while_unverified(django_capture_on_commit_callbacks: Any) -> None:
    fresh = OwnerFactory(email="fresh@example.com", email_verified=False)
    client = APIClient()
    client.force_authenticate(fresh)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RESEND).status_code == 202
    [link_mail] = mail.outbox
    assert link_mail.to == ["fresh@example.com"]
    assert len(links_in(link_mail.body)) == 1
    EmailAddress.objects.filter(user=fresh).update(verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RESEND).status_code == 202
    assert len(mail.outbox) == 1, "nothing to confirm, nothing sent"


def test_reset_takes_as_long_for_an_unknown_address_as_for_a_known_one(
    owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """No faster path: both send one email (after commit) and render one message.
    Medians of alternating runs, so machine noise hits both alike."""
    import statistics
    import time

    client = APIClient()
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for index in range(24):
        for label, email in (("known", owner_a.email), ("unknown", f"nobody{index}@example.com")):
            started = time.perf_counter()
            with django_capture_on_commit_callbacks(execute=True):
                assert client.post(RESET, {"email": email}, format="json").status_code == 202
            timings[label].append(time.perf_counter() - started)
    known, unknown = (statistics.median(timings[label]) for label in ("known", "unknown"))
    assert abs(known - unknown) < max(0.003, 0.35 * max(known, unknown)), (known, unknown)
