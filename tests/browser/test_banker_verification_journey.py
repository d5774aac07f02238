"""A pending banker sees what is checked and their listing preview, sends
evidence; staff press Verify on the banker's admin page; the banker is told."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.choices import VerificationStatus
from accounts.models import BankerProfile
from accounts.tests.factories import BankerFactory, StaffFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def test_pending_banker_sends_evidence_and_staff_verify(new_page: Any) -> None:
    banker = BankerFactory(
        email="pat.pending@harborbank.com",
        first_name="Pat",
        profile__institution="Harbor Bank",
        profile__verification_status=VerificationStatus.PENDING,
    )
    staff = StaffFactory(email="ops@b2bbank.example")
    page = new_page()
    log_in(page, banker.email, lands_on="/banker/")
    assert page.get_by_text("preview: not listed yet").is_visible()
    screenshot(page, "50-banker-pending-dashboard")
    page.get_by_role("link", name="Send your evidence").click()
    page.get_by_label("Lender ID (e.g. NMLS number)").fill("1234567")
    page.get_by_label("Work email at your institution").fill("pat@harborbank.com")
    page.get_by_label("Anything our team should know").fill("Commercial lending, Oakland branch.")
    page.get_by_role("button", name="Send for review").click()
    assert page.get_by_text("your evidence is with our team").is_visible()
    screenshot(page, "51-banker-evidence-sent")

    admin = new_page()
    log_in(admin, staff.email)
    admin.goto(f"/admin/accounts/bankerprofile/{banker.pk}/change/")
    assert admin.get_by_text("1234567").is_visible()
    screenshot(admin, "52-admin-banker-verify-reject")
    admin.get_by_role("button", name="Verify").click()
    admin.get_by_text("is verified and has been told").wait_for()
    assert BankerProfile.objects.get(user=banker).verification_status == VerificationStatus.VERIFIED

    page.goto("/notifications/")
    assert page.get_by_text("Your banker profile is verified").first.is_visible()
    screenshot(page, "53-banker-told-verified")
