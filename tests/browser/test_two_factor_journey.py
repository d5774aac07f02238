"""An owner turns on an authenticator app (allauth.mfa) and signs in with a recovery code."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django_otp.oath import TOTP

from accounts.tests.factories import PASSWORD, OwnerFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def code_for(secret: str) -> str:
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6)
    totp.time = time.time()
    return str(totp.token()).zfill(6)


def test_owner_enables_2fa_and_signs_in_with_a_recovery_code(new_page: Any) -> None:
    OwnerFactory(email="two.factor@example.com")
    page = new_page()
    log_in(page, "two.factor@example.com")
    page.goto("/account/security/")
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.wait_for_url("**/account/reauthenticate/**")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/account/security/totp/")
    assert page.locator("img.qr").is_visible()
    screenshot(page, "08-2fa-setup")
    page.locator("#id_code").fill(code_for(page.locator("#totp-secret").inner_text()))
    page.get_by_role("button", name="Turn on").click()
    codes = page.locator(".codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "09-2fa-recovery-codes")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "two.factor@example.com")
    page.wait_for_url("**/login/verify/**")
    screenshot(page, "10-2fa-verify")
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/owner/")
