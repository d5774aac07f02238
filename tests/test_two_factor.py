"""Two-factor authentication: enrolment, the second sign-in step, recovery
codes, enforcement by role, the admin, and the token API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import two_factor
from accounts.tests.factories import PASSWORD
from audit.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def enforced(settings: Any) -> Any:
    settings.B2BBANK_2FA_REQUIRED_FOR_STAFF = True
    settings.B2BBANK_2FA_REQUIRED_ROLES = ["banker"]
    return settings


def current_code(device: TOTPDevice) -> str:
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(
        device.digits
    )


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.totp_setup_start(user=user)
    codes = two_factor.totp_setup_confirm(user=user, device_id=device.pk, token=current_code(device))
    device.refresh_from_db()
    # The confirmation used this time step's code; let the test sign in with it again.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device, codes


def clear_throttle(device: TOTPDevice) -> None:
    """django-otp makes a device wait after a failure; tests do not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def sign_in(client: Client, user: Any) -> Any:
    return client.post("/login/", {"username": user.email, "password": PASSWORD})


def test_setup_page_confirms_with_a_code_and_shows_recovery_codes_once(client: Client, owner_a: Any) -> None:
    client.force_login(owner_a)
    page = client.get("/account/security/setup/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=owner_a, confirmed=False)
    wrong = client.post("/account/security/setup/", {"code": "000000"})
    assert "That code is not valid" in wrong.content.decode()
    done = client.post("/account/security/setup/", {"code": current_code(device)})
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", done.content.decode())
    assert len(codes) == 10
    assert two_factor.two_factor_enabled(owner_a)
    assert AuditRecord.objects.filter(action="auth.2fa_enabled", actor_id=owner_a.pk).exists()


def test_enrolled_user_must_enter_a_code_after_the_password(client: Client, owner_a: Any) -> None:
    device, _ = enrol(owner_a)
    assert sign_in(client, owner_a)["Location"] == "/dashboard/"
    blocked = client.get("/owner/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/login/verify/?next=%2Fowner%2F"
    assert client.get("/api/v1/me/").json()["code"] == "otp_required"
    bad = client.post("/login/verify/?next=/owner/", {"code": "123456", "next": "/owner/"})
    assert "That code is not valid" in bad.content.decode()
    clear_throttle(device)
    good = client.post("/login/verify/", {"code": current_code(device), "next": "/owner/"})
    assert good["Location"] == "/owner/"
    assert client.get("/owner/").status_code == 200


def test_a_recovery_code_works_once(client: Client, owner_a: Any) -> None:
    _, codes = enrol(owner_a)
    sign_in(client, owner_a)
    typed = f" {codes[0][:4].upper()}-{codes[0][4:]} "  # people type them any way
    assert client.post("/login/verify/", {"code": typed, "next": "/owner/"})["Location"] == "/owner/"
    other = Client()
    sign_in(other, owner_a)
    reuse = other.post("/login/verify/", {"code": codes[0], "next": "/owner/"})
    assert reuse.status_code == 200
    assert "That code is not valid" in reuse.content.decode()


def test_verify_refuses_an_open_redirect(client: Client, owner_a: Any) -> None:
    device, _ = enrol(owner_a)
    sign_in(client, owner_a)
    response = client.post("/login/verify/", {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"


def test_banker_without_2fa_is_sent_to_setup_when_required(
    enforced: Any, client: Client, banker_x: Any, owner_a: Any
) -> None:
    sign_in(client, banker_x)
    response = client.get("/banker/")
    assert response["Location"].startswith("/account/security/setup/")
    assert client.get("/account/security/setup/").status_code == 200
    owner = Client()
    sign_in(owner, owner_a)
    assert owner.get("/owner/").status_code == 200  # owners are not required


def test_admin_requires_a_verified_second_factor_for_staff(enforced: Any, client: Client, staff: Any) -> None:
    sign_in(client, staff)
    assert client.get("/admin/")["Location"].startswith("/account/security/setup/")
    device, _ = enrol(staff)
    client.post("/logout/")
    sign_in(client, staff)
    assert client.get("/admin/")["Location"].startswith("/login/verify/")
    client.post("/login/verify/", {"code": current_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_required_2fa_cannot_be_turned_off(enforced: Any, client: Client, banker_x: Any) -> None:
    _, codes = enrol(banker_x)
    with pytest.raises(two_factor.NotEligible):
        two_factor.two_factor_disable(user=banker_x, token=codes[0])
    assert two_factor.two_factor_enabled(banker_x)


def test_optional_2fa_can_be_turned_off_with_a_code(owner_a: Any) -> None:
    _, codes = enrol(owner_a)
    with pytest.raises(two_factor.InvalidOtp):
        two_factor.two_factor_disable(user=owner_a, token="nope1234")
    two_factor.two_factor_disable(user=owner_a, token=codes[1])
    assert not two_factor.two_factor_enabled(owner_a)


def test_token_api_needs_the_second_factor(owner_a: Any) -> None:
    device, _ = enrol(owner_a)
    api = APIClient()
    body = {"email": owner_a.email, "password": PASSWORD}
    missing = api.post("/api/v1/auth/token/", body, format="json")
    assert missing.status_code == 400
    assert missing.json()["code"] == "otp_required"
    wrong = api.post("/api/v1/auth/token/", {**body, "otp": "000000"}, format="json")
    assert wrong.json()["code"] == "otp_invalid"
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    good = api.post("/api/v1/auth/token/", {**body, "otp": current_code(device)}, format="json")
    assert good.status_code == 200
    assert good.json()["token"]


def test_token_api_refuses_a_required_but_unenrolled_banker(enforced: Any, banker_x: Any) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": banker_x.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "otp_setup_required"


def test_guessing_codes_is_throttled(owner_a: Any) -> None:
    device, _ = enrol(owner_a)
    assert two_factor.otp_verify(user=owner_a, token="000001") is None
    # After a failure django-otp makes the device wait: even the right code fails now.
    assert two_factor.otp_verify(user=owner_a, token=current_code(device)) is None
    assert AuditRecord.objects.filter(action="auth.2fa_failed").count() == 2
