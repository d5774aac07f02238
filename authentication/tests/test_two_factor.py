"""Two-factor authentication on allauth.mfa: enrolment on allauth's pages, the
second sign-in step (a code, a recovery code, a passkey), enforcement by role
(a TOTP app or a passkey will do), the admin, and the token API."""

from __future__ import annotations

import base64
import re
import secrets
import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.test import Client, RequestFactory
from django_otp.oath import TOTP
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from audit.models import AuditRecord
from authentication import two_factor
from authentication.allauth_adapter import AccountAdapter

pytestmark = pytest.mark.django_db


@pytest.fixture
def enforced(settings: Any) -> Any:
    settings.B2BBANK_2FA_REQUIRED_FOR_STAFF = True
    settings.B2BBANK_2FA_REQUIRED_ROLES = ["banker"]
    return settings


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """A code from an independent RFC 6238 implementation (django-otp's). allauth
    refuses a code twice in its period, and accepts one step either side, so a
    test that needs a second fresh code takes the next step's."""
    key = base64.b32decode(secret)
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return str(totp.token()).zfill(6)


def add_totp(user: Any) -> str:
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})
    return secret


def add_recovery_codes(user: Any) -> list[str]:
    authenticator = Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": encrypt(secrets.token_hex(40)), "used_mask": 0},
    )
    codes: list[str] = authenticator.wrap().generate_codes()
    return codes


def add_passkey_record(user: Any, name: str = "Laptop") -> Authenticator:
    """A passkey row for the rules that only count factors (the browser journey
    runs the real WebAuthn ceremony)."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


def sign_in(client: Client, user: Any) -> Any:
    return client.post("/login/", {"username": user.email, "password": PASSWORD})


def test_authenticator_app_is_set_up_on_allauths_pages_with_recovery_codes_shown_once(
    client: Client, owner_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sign_in(client, owner_a)
    asks = client.get("/account/security/totp/")
    assert asks.status_code == 302
    assert asks["Location"].startswith("/account/reauthenticate/")  # the password again first
    client.post(asks["Location"], {"password": PASSWORD})
    page = client.get("/account/security/totp/")
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode())
    assert secret
    wrong = client.post("/account/security/totp/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not two_factor.two_factor_enabled(owner_a)
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        done = client.post("/account/security/totp/", {"code": code_for(secret.group(1))})
    assert done["Location"] == "/account/security/recovery-codes/"
    shown = client.get(done["Location"]).content.decode()
    assert len(re.findall(r"<code>(\d{8})</code>", shown)) == 10
    again = client.get(done["Location"]).content.decode()
    assert not re.findall(r"<code>(\d{8})</code>", again)  # shown once
    assert two_factor.two_factor_enabled(owner_a)
    assert AuditRecord.objects.filter(action="auth.2fa_enabled", actor_id=owner_a.pk).exists()


def test_enrolled_user_must_enter_a_code_after_the_password(client: Client, owner_a: Any) -> None:
    secret = add_totp(owner_a)
    assert sign_in(client, owner_a)["Location"] == "/dashboard/"
    blocked = client.get("/owner/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/login/verify/?next=%2Fowner%2F"
    assert client.get("/api/v1/me/").json()["code"] == "otp_required"
    bad = client.post("/login/verify/?next=/owner/", {"code": "123456", "next": "/owner/"})
    assert "That code is not valid" in bad.content.decode()
    good = client.post("/login/verify/", {"code": code_for(secret), "next": "/owner/"})
    assert good["Location"] == "/owner/"
    assert client.get("/owner/").status_code == 200
    # The same code again is refused: allauth remembers a used code for its period.
    other = Client()
    sign_in(other, owner_a)
    assert other.post("/login/verify/", {"code": code_for(secret), "next": "/owner/"}).status_code == 200


def test_a_recovery_code_works_once(client: Client, owner_a: Any) -> None:
    add_totp(owner_a)
    codes = add_recovery_codes(owner_a)
    sign_in(client, owner_a)
    typed = f" {codes[0][:4]}-{codes[0][4:]} "  # people type them any way
    assert client.post("/login/verify/", {"code": typed, "next": "/owner/"})["Location"] == "/owner/"
    other = Client()
    sign_in(other, owner_a)
    reuse = other.post("/login/verify/", {"code": codes[0], "next": "/owner/"})
    assert reuse.status_code == 200
    assert "That code is not valid" in reuse.content.decode()


def test_verify_refuses_an_open_redirect(client: Client, owner_a: Any) -> None:
    secret = add_totp(owner_a)
    sign_in(client, owner_a)
    response = client.post("/login/verify/", {"code": code_for(secret), "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"


def test_a_password_alone_cannot_add_a_factor_to_an_enrolled_account(client: Client, owner_a: Any) -> None:
    """Otherwise a stolen password could add the thief's own passkey."""
    add_totp(owner_a)
    sign_in(client, owner_a)
    for path in ("/account/security/passkeys/add/", "/account/security/", "/account/reauthenticate/"):
        assert client.get(path)["Location"].startswith("/login/verify/"), path


def test_banker_without_2fa_is_sent_to_setup_when_required(
    enforced: Any, client: Client, banker_x: Any, owner_a: Any
) -> None:
    sign_in(client, banker_x)
    response = client.get("/banker/")
    assert response["Location"].startswith("/account/security/setup/")
    setup = client.get("/account/security/setup/").content.decode()
    assert "/account/security/passkeys/add/" in setup
    assert "/account/security/totp/" in setup
    # The way to a factor is open (past the password asked again); nothing else is.
    assert client.get("/account/security/passkeys/add/")["Location"].startswith("/account/reauthenticate/")
    assert client.get("/api/v1/me/").json()["code"] == "otp_required"
    owner = Client()
    sign_in(owner, owner_a)
    assert owner.get("/owner/").status_code == 200  # owners are not required


@pytest.mark.parametrize("factor", ["totp", "passkey"])
def test_required_2fa_accepts_a_totp_app_or_a_passkey(
    enforced: Any, client: Client, banker_x: Any, factor: str
) -> None:
    if factor == "totp":
        add_totp(banker_x)
    else:
        add_passkey_record(banker_x)
    sign_in(client, banker_x)
    # Enrolled either way: asked for the second step, never sent to set one up.
    assert client.get("/banker/")["Location"].startswith("/login/verify/")
    token = APIClient().post(
        "/api/v1/auth/token/", {"email": banker_x.email, "password": PASSWORD}, format="json"
    )
    assert token.json()["code"] == "otp_required"


def test_admin_requires_a_verified_second_factor_for_staff(enforced: Any, client: Client, staff: Any) -> None:
    sign_in(client, staff)
    assert client.get("/admin/")["Location"].startswith("/account/security/setup/")
    secret = add_totp(staff)
    client.post("/logout/")
    sign_in(client, staff)
    assert client.get("/admin/")["Location"].startswith("/login/verify/")
    client.post("/login/verify/", {"code": code_for(secret), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def _reauthenticated(client: Client, user: Any, secret: str) -> None:
    sign_in(client, user)
    client.post("/login/verify/", {"code": code_for(secret), "next": "/"})
    client.post("/account/reauthenticate/", {"password": PASSWORD})


def test_required_2fa_cannot_be_turned_off(enforced: Any, client: Client, banker_x: Any) -> None:
    secret = add_totp(banker_x)
    _reauthenticated(client, banker_x, secret)
    page = client.get("/account/security/totp/off/")
    assert "You cannot deactivate two-factor authentication." in page.content.decode()
    client.post("/account/security/totp/off/")
    assert two_factor.two_factor_enabled(banker_x)
    passkey = add_passkey_record(banker_x)
    # With a passkey beside it the app may go, and then the passkey is the last factor.
    assert client.post("/account/security/totp/off/")["Location"] == "/account/security/"
    assert not Authenticator.objects.filter(user=banker_x, type="totp").exists()
    refused = client.post(f"/account/security/passkeys/{passkey.pk}/remove/", follow=True)
    assert "required for your account" in refused.content.decode()
    assert Authenticator.objects.filter(pk=passkey.pk).exists()
    assert AuditRecord.objects.filter(action="auth.2fa_disabled", actor_id=banker_x.pk).count() == 1


def test_optional_2fa_can_be_turned_off(client: Client, owner_a: Any) -> None:
    secret = add_totp(owner_a)
    add_recovery_codes(owner_a)
    _reauthenticated(client, owner_a, secret)
    assert client.post("/account/security/totp/off/")["Location"] == "/account/security/"
    assert not two_factor.two_factor_enabled(owner_a)
    # Recovery codes alone are no factor; allauth removes them with the last one.
    assert not Authenticator.objects.filter(user=owner_a).exists()


def test_someone_elses_passkey_cannot_be_removed(client: Client, owner_a: Any, owner_b: Any) -> None:
    theirs = add_passkey_record(owner_b)
    client.force_login(owner_a)
    assert client.post(f"/account/security/passkeys/{theirs.pk}/remove/").status_code == 404
    assert Authenticator.objects.filter(pk=theirs.pk).exists()


def test_token_api_needs_the_second_factor(owner_a: Any) -> None:
    secret = add_totp(owner_a)
    codes = add_recovery_codes(owner_a)
    api = APIClient()
    body = {"email": owner_a.email, "password": PASSWORD}
    missing = api.post("/api/v1/auth/token/", body, format="json")
    assert missing.status_code == 400
    assert missing.json()["code"] == "otp_required"
    wrong = api.post("/api/v1/auth/token/", {**body, "otp": "000000"}, format="json")
    assert wrong.json()["code"] == "otp_invalid"
    good = api.post("/api/v1/auth/token/", {**body, "otp": code_for(secret)}, format="json")
    assert good.status_code == 200
    assert good.json()["token"]
    assert "sessionid" not in good.cookies  # the API keeps no session
    by_recovery = api.post("/api/v1/auth/token/", {**body, "otp": codes[3]}, format="json")
    assert by_recovery.status_code == 200


def test_token_api_refuses_a_required_but_unenrolled_banker(enforced: Any, banker_x: Any) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": banker_x.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "otp_setup_required"


def test_guessing_codes_is_limited_and_audited(owner_a: Any) -> None:
    secret = add_totp(owner_a)
    request = RequestFactory().post("/login/verify/")
    request.session = {}  # type: ignore[assignment]
    for guess in range(5):
        assert not two_factor.verify_code(
            request=request, user=owner_a, code=f"00000{guess}", in_session=False
        )
    # allauth's per-user limit (ACCOUNT_RATE_LIMITS login_failed): even the right code fails now.
    assert not two_factor.verify_code(request=request, user=owner_a, code=code_for(secret), in_session=False)
    assert AuditRecord.objects.filter(action="auth.2fa_failed", actor_id=owner_a.pk).count() == 5


def test_a_closed_accounts_passkey_sign_in_meets_the_sign_in_page(client: Client, owner_a: Any) -> None:
    request = RequestFactory().get("/login/passkey/")
    request.session = client.session
    request._messages = type("Messages", (), {"add": lambda *a, **k: None})()  # type: ignore[attr-defined]
    response = AccountAdapter().respond_user_inactive(request, owner_a)
    assert response["Location"] == "/login/"
