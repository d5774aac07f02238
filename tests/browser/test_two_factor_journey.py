"""An owner turns on two-factor authentication and signs in with it."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import OwnerFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def code_for(device: TOTPDevice) -> str:
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(6)


def test_owner_enables_2fa_and_signs_in_with_a_recovery_code(new_page: Any) -> None:
    OwnerFactory(email="two.factor@example.com")
    page = new_page()
    log_in(page, "two.factor@example.com")
    page.get_by_role("link", name="Security").click()
    page.get_by_role("link", name="Set up two-factor authentication").click()
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "08-2fa-setup")
    device = TOTPDevice.objects.get(user__email="two.factor@example.com", confirmed=False)
    page.locator("#id_code").fill(code_for(device))
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
