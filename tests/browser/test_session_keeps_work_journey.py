"""Sessions keep work (issue #14): a form sent after the session expired keeps
what was typed; sign in again, see why, and find the text back in the form."""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings

from accounts.tests.factories import PASSWORD, BankerFactory, OwnerFactory
from authentication.session_limits import LAST_SEEN
from loans.models import LoanApplication, Status
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

PURPOSE = "Refit the second kitchen: two combi ovens, a blast chiller and the extraction hood."


def expire_session(page: Any) -> None:
    """What 31 idle minutes do to the browser's session, without waiting them."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(cookie["value"])
    store[LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT.total_seconds() - 60
    store.save()


def test_an_expired_session_keeps_the_half_written_application(new_page: Any) -> None:
    owner = OwnerFactory(email="kai.owner@example.com", first_name="Kai")
    banker = BankerFactory(email="lee.banker@example.com", profile__institution="Harbor Bank")
    page = new_page()
    log_in(page, owner.email, lands_on="/owner/")
    page.goto(f"/applications/new/?banker={banker.pk}")
    page.get_by_label("Loan product").select_option("equipment_financing")
    page.get_by_label("Amount (USD)").fill("120000")
    page.get_by_label("Term (months)").fill("48")
    page.get_by_label("What is the loan for?").fill(PURPOSE)
    expire_session(page)
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url("**/login/**")
    assert page.get_by_text("Your session expired; nothing was lost").is_visible()
    screenshot(page, "40-session-expired-nothing-lost")
    page.get_by_label("Email").fill(owner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/applications/new/**")
    assert page.get_by_label("What is the loan for?").input_value() == PURPOSE
    assert page.get_by_label("Amount (USD)").input_value() == "120000"
    assert page.get_by_text("We kept what you typed: nothing was lost").is_visible()
    screenshot(page, "41-form-restored-after-sign-in")
    assert not LoanApplication.objects.exists(), "nothing was sent while signed out"
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url("**/applications/*/")
    assert page.get_by_text("has been sent to the banker").is_visible()
    assert LoanApplication.objects.get().status == Status.SUBMITTED
    page.goto("/applications/new/")
    assert page.get_by_label("What is the loan for?").input_value() == "", "a sent form's draft is forgotten"
