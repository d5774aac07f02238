"""A banker (who must have two-factor) adds a passkey as the first factor, then
signs in with the passkey alone. Chromium's virtual authenticator (DevTools
protocol) stands in for the phone or security key; the page is served at
http://localhost, a secure context, so the relying party is `localhost`."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from accounts.tests.factories import PASSWORD, BankerFactory
from audit.models import AuditRecord
from tests.browser.axe import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

WIDTHS = {"narrow": {"width": 390, "height": 844}, "wide": {"width": 1280, "height": 900}}


def passkey_page(browser: Any, server_url: str, viewport: dict[str, int]) -> tuple[Any, Any]:
    context = browser.new_context(base_url=server_url.replace("127.0.0.1", "localhost"), viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return context, page


def shots(page: Any, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        screenshot(page, f"passkey-{name}-{label}")
    assert_accessible(page, name)


def test_banker_adds_a_passkey_and_signs_in_with_it_alone(
    browser: Any, server_url: str, transactional_db: Any, settings: Any
) -> None:
    BankerFactory(email="passkey.banker@example.com")
    context, page = passkey_page(browser, server_url, WIDTHS["wide"])
    try:
        log_in(page, "passkey.banker@example.com")
        page.goto("/account/security/setup/")
        shots(page, "setup")
        page.get_by_role("link", name="Add a passkey").click()
        page.wait_for_url("**/account/reauthenticate/**")
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/account/security/passkeys/add/")
        page.get_by_label("Name").fill("Work laptop <script>alert(1)</script> " + "x" * 200)
        assert page.get_by_label("Sign in with this passkey alone").is_checked()
        shots(page, "add")
        page.get_by_role("button", name="Add a passkey").click()
        page.wait_for_url("**/account/security/recovery-codes/")
        assert len(page.locator(".codes code").all_inner_texts()) == 10
        key = Authenticator.objects.get(user__email="passkey.banker@example.com", type="webauthn")
        assert key.wrap().is_passwordless
        assert len(key.wrap().name) <= 100  # hostile length is cut to the limit
        assert AuditRecord.objects.filter(action="auth.2fa_enabled", actor_id=key.user_id).exists()

        page.goto("/account/security/passkeys/")
        assert page.get_by_text("Passkey (signs in alone)").is_visible()
        shots(page, "list")
        page.goto("/account/security/")
        shots(page, "security")
        page.get_by_role("button", name="Log out").click()

        page.goto("/login/")
        shots(page, "login")
        page.get_by_role("button", name="Sign in with a passkey").click()
        page.wait_for_url("**/banker/**")
        # Signed in and past the second step: the banker's pages answer.
        page.goto("/banker/")
        assert "/login/" not in page.url
        key.refresh_from_db()
        assert key.last_used_at is not None
    finally:
        context.close()


def test_a_passkey_is_a_second_step_after_the_password(
    browser: Any, server_url: str, transactional_db: Any
) -> None:
    BankerFactory(email="passkey.second@example.com")
    context, page = passkey_page(browser, server_url, WIDTHS["wide"])
    try:
        log_in(page, "passkey.second@example.com")
        page.goto("/account/security/passkeys/add/")
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/account/security/passkeys/add/")
        page.get_by_label("Sign in with this passkey alone").uncheck()  # a second step only
        page.get_by_role("button", name="Add a passkey").click()
        page.wait_for_url("**/account/security/recovery-codes/")
        page.get_by_role("link", name="I have saved them").click()
        page.get_by_role("button", name="Log out").click()

        log_in(page, "passkey.second@example.com")
        page.wait_for_url("**/login/verify/**")
        shots(page, "verify")
        page.get_by_role("button", name="Use a passkey").click()
        page.wait_for_url("**/banker/**")  # /dashboard/ sends a banker home
        page.goto("/banker/")
        assert "/login/" not in page.url
    finally:
        context.close()
