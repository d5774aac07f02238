"""An owner applies to a banker, the banker asks for information, the owner
answers, the banker approves with terms, the owner sees the approval and terms
(and the owner's open page updates in place when a status frame arrives)."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory
from loans import services
from loans.models import LoanApplication, Status
from loans.tests.factories import ApplicationFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def push_status_frame(page: Any, application: LoanApplication) -> None:
    """What static/js/realtime.js does with an `application.status` frame."""
    page.evaluate(
        """([id, status]) => document.dispatchEvent(new CustomEvent("b2b:application.status",
            {detail: {type: "application.status", application: id, status: status, event: {}}}))""",
        [application.pk, application.status],
    )


def test_owner_applies_banker_requests_info_and_approves(new_page: Any) -> None:
    owner_user = OwnerFactory(
        email="maya.owner@example.com",
        first_name="Maya",
        last_name="Reyes",
        profile__company_name="Reyes Foods",
    )
    banker_user = BankerFactory(
        email="sam.banker@example.com",
        first_name="Sam",
        last_name="Ortiz",
        profile__institution="Harbor Bank",
    )
    owner = new_page()
    log_in(owner, owner_user.email, lands_on="/owner/")
    owner.goto(f"/applications/new/?banker={banker_user.pk}")
    assert (
        owner.get_by_role("region", name="The banker you are applying to")
        .get_by_text("Harbor Bank")
        .is_visible()
    )
    owner.get_by_label("Loan product").select_option("equipment_financing")
    owner.get_by_label("Amount (USD)").fill("180000")
    owner.get_by_label("Term (months)").fill("48")
    owner.get_by_label("What is the loan for?").fill(
        "Two refrigerated delivery vans for the new catering contract."
    )
    owner.get_by_role("button", name="Submit application").click()
    owner.wait_for_url("**/applications/*/")
    assert owner.get_by_text("has been sent to the banker").is_visible()
    application = LoanApplication.objects.get()
    assert application.status == Status.SUBMITTED

    # Other clients' work already in the banker's pipeline, and more declined
    # applications than the pipeline shows.
    for company, status in (("Oakline Tools", Status.IN_REVIEW), ("Bayside Dental", Status.INFO_REQUESTED)):
        ApplicationFactory(
            owner=OwnerFactory(profile__company_name=company), banker=banker_user, status=status, amount=95000
        )
    for number in range(12):
        ApplicationFactory(
            owner=OwnerFactory(profile__company_name=f"Declined Co {number}"),
            banker=banker_user,
            status=Status.DECLINED,
            amount=20000 + number * 1000,
        )

    banker = new_page()
    log_in(banker, banker_user.email, lands_on="/banker/")
    banker.get_by_role("link", name="Pipeline", exact=True).first.click()
    banker.wait_for_url("**/pipeline/")
    assert banker.get_by_role("link", name=application.reference).is_visible()
    screenshot(banker, "loans-banker-pipeline")
    banker.get_by_role("link", name="See all 12 declined").click()
    banker.wait_for_url("**/pipeline/declined/")
    assert banker.get_by_role("heading", name="Declined (12)").is_visible()
    assert banker.get_by_role("row").count() == 13  # the header and all twelve on one page
    screenshot(banker, "loans-banker-stage")
    banker.get_by_role("link", name="Pipeline", exact=True).last.click()
    banker.wait_for_url("**/pipeline/")
    banker.get_by_role("link", name=application.reference).click()
    assert banker.get_by_text("Reyes Foods").first.is_visible()
    banker.get_by_role("button", name="Start review").click()
    banker.get_by_text("Request information", exact=True).click()
    banker.get_by_label("Message").fill("Please share the last two years of accounts.")
    banker.get_by_role("button", name="Send request").click()
    assert banker.get_by_text("Your request has been sent").is_visible()

    owner.reload()
    assert owner.get_by_text("The banker needs more information").is_visible()
    owner.get_by_label("Message").fill("Uploaded to our shared folder; totals: 2.1M and 2.6M revenue.")
    owner.get_by_role("button", name="Send answer").click()
    assert owner.get_by_text("Your answer has been sent").is_visible()

    banker.reload()
    screenshot(banker, "loans-banker-detail")
    banker.get_by_role("link", name="Make an offer…").click()
    banker.get_by_label("Approved amount (USD)").fill("175000")
    banker.get_by_label("Interest rate (% per year)").fill("7.25")
    banker.get_by_label("Term (months)").fill("48")
    banker.get_by_label("Conditions").fill("Vans serve as collateral; comprehensive insurance required.")
    banker.get_by_role("button", name="Review…").click()
    assert banker.get_by_text("$4,210.").first.is_visible()  # the monthly payment, restated before sending
    banker.get_by_role("button", name="Send offer").click()
    assert banker.get_by_text("Your offer has been sent").is_visible()

    # A status frame updates the owner's page in place.
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    # (the real frame may already have arrived during the banker's confirmation step)
    assert owner.locator("[data-live-part=status]").inner_text().strip() in ("In review", "Approved")
    push_status_frame(owner, application)
    owner.locator("[data-live-part=status]").get_by_text("Approved").wait_for()
    terms = owner.get_by_role("region", name="Offer", exact=True)
    assert terms.is_visible()
    assert "$175,000.00" in terms.inner_text()
    assert "7.25%" in terms.inner_text()
    assert "48 months" in terms.inner_text()
    assert "comprehensive insurance" in terms.inner_text()
    timeline = owner.locator("[data-live-part=timeline]").inner_text()
    for step in ("Submitted", "Review started", "Information requested", "Answer sent", "Approved"):
        assert step in timeline
    owner.reload()  # and the same after a plain reload
    screenshot(owner, "loans-owner-detail")
    assert owner.get_by_role("region", name="Offer", exact=True).is_visible()
    assert application.events.count() == 5

    owner.get_by_role("link", name="Applications", exact=True).click()
    assert owner.get_by_role("link", name=application.reference, exact=True).is_visible()
    screenshot(owner, "loans-owner-list")
    owner.get_by_role("link", name="Notifications").first.click()
    owner.get_by_role("button", name="approved").first.wait_for()
    screenshot(owner, "loans-owner-notifications")
    owner.get_by_role("button", name="approved").first.click()
    owner.wait_for_url(f"**/applications/{application.pk}/")


def test_application_pages_fit_a_phone(new_page: Any) -> None:
    owner_user = OwnerFactory(email="phone.owner@example.com")
    banker_user = BankerFactory()
    application = ApplicationFactory(owner=owner_user, banker=banker_user, status=Status.IN_REVIEW)
    services.application_request_info(
        actor=banker_user, application_id=application.pk, note="Please send the equipment quote and invoices."
    )
    page = new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, owner_user.email, lands_on="/owner/")
    for path, name in (
        ("/applications/new/", "loans-phone-new"),
        ("/applications/", "loans-phone-list"),
        (f"/applications/{application.pk}/", "loans-phone-detail"),
    ):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        screenshot(page, name)
    # application_live.js is harmless without realtime.js and ignores frames about other applications.
    services.application_decline(
        actor=banker_user, application_id=application.pk, reason="Collateral too thin."
    )
    application.refresh_from_db()
    other = ApplicationFactory(owner=owner_user, banker=banker_user)
    push_status_frame(page, other)
    page.wait_for_timeout(500)
    assert page.locator("[data-live-part=status]").inner_text().strip() == "Information requested"
    push_status_frame(page, application)
    page.locator("[data-live-part=status]").get_by_text("Declined").wait_for()
    assert page.get_by_text("Collateral too thin.").first.is_visible()
    assert errors == []
