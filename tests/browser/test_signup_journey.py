"""Sign-up through the pages, for both roles: the same "check your inbox"
page whether or not the address was taken, then sign-in to each dashboard."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from accounts.tests.factories import PASSWORD, OwnerFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def fill_account(page: Any, email: str) -> None:
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Reyes")
    page.get_by_label("Work email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("I accept the terms of use and the privacy notice").check()


def test_owner_signs_up_and_lands_on_owner_dashboard(new_page: Any) -> None:
    page = new_page()
    page.goto("/")
    screenshot(page, "00-landing")
    page.get_by_role("link", name="Get started").click()
    screenshot(page, "01-signup-choose")
    page.get_by_role("link", name="I run a business").click()
    fill_account(page, "Maya@Reyes-Foods.com")
    page.get_by_label("Company name").fill("Reyes Foods")
    page.get_by_label("Industry").select_option("hospitality")
    page.get_by_label("Years in business").fill("6")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/signup/done/")
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    assert page.get_by_text("maya@reyes-foods.com").is_visible()
    screenshot(page, "01b-signup-done")
    page.get_by_role("link", name="Sign in").click()
    log_in(page, "maya@reyes-foods.com", lands_on="/owner/")
    assert page.get_by_role("heading", name="Welcome, Maya").is_visible()
    screenshot(page, "02-owner-dashboard")
    assert User.objects.get(email="maya@reyes-foods.com").role == "business_owner"


def test_banker_signs_up_sees_pending_notice(new_page: Any) -> None:
    page = new_page()
    page.goto("/signup/banker/")
    page.get_by_role("button", name="Create account").click()
    screenshot(page, "03-banker-signup-errors")
    assert page.locator(".field-invalid").count() >= 3
    fill_account(page, "maya@harbor.example")
    page.get_by_label("Institution").fill("Harbor Bank")
    page.get_by_label("Term loan").check()
    page.get_by_label("Equipment financing").check()
    page.get_by_label("Minimum loan amount (USD)").fill("50000")
    page.get_by_label("Maximum loan amount (USD)").fill("2000000")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/signup/done/")
    assert page.get_by_text("Our team verifies every banker").is_visible()
    log_in(page, "maya@harbor.example", lands_on="/banker/")
    assert page.get_by_text("Your profile is awaiting verification").is_visible()
    screenshot(page, "04-banker-dashboard-pending")


def test_pages_fit_a_phone(new_page: Any) -> None:
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/signup/business-owner/")
    screenshot(page, "05-phone-owner-signup")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_a_taken_address_gets_the_same_check_your_inbox_page_on_a_phone(new_page: Any) -> None:
    OwnerFactory(email="taken@example.com")
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/signup/business-owner/")
    fill_account(page, "Taken@Example.com")
    page.get_by_label("Company name").fill("Taken Foods")
    page.get_by_label("Industry").select_option("retail")
    page.get_by_label("Years in business").fill("2")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/signup/done/")
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    assert page.get_by_text("already exists").count() == 0
    screenshot(page, "06-phone-signup-done-taken-address")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
