"""Recovery and verification as a person lives them: forgot password -> the
email -> a new password -> signed in; sign-up -> apply refused until the address
is confirmed -> the email's link -> apply. Emails are the server's files."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import PASSWORD, BankerFactory, OwnerFactory
from loans.models import LoanApplication, Status
from tests.browser.conftest import screenshot
from tests.browser.mailbox import only_link, save, wait_for_mail
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-sunny-new-passphrase-31"


def test_forgot_password_email_reset_and_signed_in(new_page: Any) -> None:
    OwnerFactory(email="rosa.reset@example.com", first_name="Rosa")
    page = new_page()
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("rosa.reset@example.com")
    screenshot(page, "20-forgot-password")
    page.get_by_role("button", name="Email me a reset link").click()
    page.wait_for_url("**/password/reset/done/")
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    screenshot(page, "21-forgot-password-check-inbox")
    message = wait_for_mail("rosa.reset@example.com", "Reset your b2bbank password")
    save(message, "22-reset-email")
    page.goto(only_link(message))
    assert page.get_by_role("heading", name="Choose a new password").is_visible()
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    screenshot(page, "23-choose-new-password")
    page.get_by_role("button", name="Set my new password").click()
    page.wait_for_url("**/owner/")
    assert page.get_by_role("heading", name="Welcome, Rosa").is_visible()
    screenshot(page, "24-signed-in-after-reset")
    page.goto(only_link(message))
    assert page.get_by_role("heading", name="This link does not work any more").is_visible()
    screenshot(page, "25-reset-link-used-twice")


def _sign_up(page: Any, email: str) -> None:
    page.goto("/signup/business-owner/")
    page.get_by_label("First name").fill("Vera")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("Work email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("I accept the terms of use and the privacy notice").check()
    page.get_by_label("Company name").fill("Quinn Bakery")
    page.get_by_label("Industry").select_option("hospitality")
    page.get_by_label("Years in business").fill("3")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/signup/done/")


def _apply(page: Any, banker_id: int) -> None:
    page.goto(f"/applications/new/?banker={banker_id}")
    page.get_by_label("Loan product").select_option("equipment_financing")
    page.get_by_label("Amount (USD)").fill("90000")
    page.get_by_label("Term (months)").fill("36")
    page.get_by_label("What is the loan for?").fill("A second deck oven for wholesale orders.")
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url("**/applications/*/")


def test_sign_up_confirm_the_address_then_apply(new_page: Any) -> None:
    banker = BankerFactory(email="ines.banker@example.com", profile__institution="Harbor Bank")
    page = new_page()
    _sign_up(page, "vera@quinn-bakery.example")
    screenshot(page, "30-signup-check-inbox")
    log_in(page, "vera@quinn-bakery.example", lands_on="/owner/")
    _apply(page, banker.pk)
    assert page.get_by_text("Saved as a draft but not sent: Confirm your email address first").is_visible()
    screenshot(page, "31-apply-refused-until-confirmed")
    page.goto("/account/email/verify/")
    assert page.get_by_text("Not confirmed").is_visible()
    screenshot(page, "32-email-status-unconfirmed")
    message = wait_for_mail("vera@quinn-bakery.example", "Welcome to b2bbank")
    save(message, "33-welcome-email")
    page.goto(only_link(message))
    screenshot(page, "34-confirm-address")
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url("**/account/email/verify/")
    assert page.get_by_text("Confirmed", exact=True).is_visible()
    screenshot(page, "35-email-confirmed")
    _apply(page, banker.pk)
    assert page.get_by_text("has been sent to the banker").is_visible()
    screenshot(page, "36-applied-after-confirming")
    assert LoanApplication.objects.filter(status=Status.SUBMITTED).count() == 1
