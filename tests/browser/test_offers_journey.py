"""The heart of b2bbank: one application, several bankers, offers compared.
The owner applies to three matched bankers; two make offers and one declines;
the owner compares them side by side and accepts one; the other banker sees
"Not selected" live. Screenshots of the comparison and the confirmation at
390 and 1280 px."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.choices import Industry, Product
from accounts.tests.factories import BankerFactory, OwnerFactory
from loans import services
from loans.models import ApplicationTrack, LoanApplication, Status
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

PROFILE = {
    "profile__products": [Product.TERM_LOAN, Product.EQUIPMENT_FINANCING],
    "profile__industries": [Industry.MANUFACTURING],
    "profile__min_loan_amount": Decimal("50000"),
    "profile__max_loan_amount": Decimal("2000000"),
}


def overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def at_both_widths(page: Any, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0, (name, width)
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_owner_compares_offers_from_three_matched_bankers_and_accepts_one(new_page: Any) -> None:
    owner = OwnerFactory(
        email="maya@reyes-foods.example",
        first_name="Maya",
        last_name="Reyes",
        profile__company_name="Reyes Family Foods & Specialty Manufacturing Cooperative of the Central Valley",
    )
    first = BankerFactory(
        email="dan@harbor.example",
        first_name="Daniel",
        last_name="Okafor-Featherstonehaugh",
        **PROFILE,
        profile__institution="Harbor Commercial & Industrial Bank of Northern California",
    )
    second = BankerFactory(
        email="rosa@crest.example",
        first_name="Rosa",
        last_name="Delgado",
        **PROFILE,
        profile__institution="Pacific Crest Bank",
    )
    third = BankerFactory(
        email="li@valley.example",
        first_name="Li",
        last_name="Wen",
        **PROFILE,
        profile__institution="Valley Credit Union",
    )
    stranger = BankerFactory(
        email="no@fit.example",
        first_name="Noor",
        last_name="Unmatched",
        profile__products=[Product.COMMERCIAL_REAL_ESTATE],
    )

    owner_page = new_page()
    log_in(owner_page, owner.email, lands_on="/owner/")
    owner_page.goto("/applications/new/")
    owner_page.get_by_label("Loan product").select_option("term_loan")
    owner_page.get_by_label("Amount (USD)").fill("1250000")
    owner_page.get_by_label("Term (months)").fill("84")
    owner_page.get_by_label("What is the loan for?").fill("A second production line and a cold store.")
    owner_page.get_by_role("button", name="Submit application").click()
    owner_page.get_by_text("tick up to five matching bankers").wait_for()
    matches = owner_page.locator("[name=submit-bankers]")
    assert matches.count() == 3  # the banker who does not offer term loans is not listed
    assert stranger.get_full_name() not in owner_page.content()
    assert "serves manufacturing" in owner_page.content()
    for banker in (first, second, third):
        owner_page.locator(f"[name=submit-bankers][value='{banker.pk}']").check()
    owner_page.get_by_role("button", name="Send to the bankers I ticked").click()
    owner_page.get_by_text("Your application has been sent.").wait_for()
    application = LoanApplication.objects.get(owner=owner)
    assert application.tracks.count() == 3

    # The first banker makes an offer in the browser, through its confirmation step.
    services.application_start_review(actor=first, application_id=application.pk)
    banker_page = new_page()
    log_in(banker_page, first.email)
    banker_page.goto(f"/applications/{application.pk}/")
    banker_page.get_by_role("link", name="Make an offer…").click()
    assert banker_page.get_by_label("Approved amount (USD)").input_value() == "1250000.00"  # prefilled
    assert banker_page.get_by_label("Term (months)").input_value() == "84"
    banker_page.get_by_label("Interest rate (% per year)").fill("7.125")
    banker_page.get_by_label("Origination fee (USD)").fill("12500")
    banker_page.get_by_label("Conditions").fill(
        "First-priority lien on the new line; a debt-service coverage ratio of at least 1.25x, "
        "tested annually on audited statements."
    )
    banker_page.get_by_role("button", name="Review…").click()
    banker_page.get_by_text("Nothing is sent until you confirm").wait_for()
    banker_page.get_by_role("button", name="Send offer").click()
    banker_page.get_by_text("Your offer has been sent").wait_for()

    # The second makes a cheaper offer, the third declines.
    services.application_start_review(actor=second, application_id=application.pk)
    services.application_approve(
        actor=second,
        application_id=application.pk,
        approved_amount=Decimal("1200000"),
        interest_rate=Decimal("6.875"),
        term_months=84,
        origination_fee=Decimal("24000"),
        conditions="Personal guarantee from the majority shareholder.",
    )
    services.application_decline(actor=third, application_id=application.pk, reason="Outside our region.")

    # The second banker watches their application.
    watcher = new_page()
    log_in(watcher, second.email)
    watcher.goto(f"/applications/{application.pk}/")
    assert watcher.locator("[data-live-part=status]").inner_text().strip() == "Approved"
    assert first.get_full_name() not in watcher.content()  # never another banker's identity

    owner_page.goto(f"/applications/{application.pk}/")
    comparison = owner_page.get_by_role("region", name="Offers to compare")
    comparison.wait_for()
    text = comparison.inner_text()
    for expected in (
        first.get_full_name(),
        second.get_full_name(),
        "APR",
        "Monthly payment",
        "Total cost",
        "left",
    ):
        assert expected in text
    assert owner_page.locator(".offer").count() == 2
    at_both_widths(owner_page, "offers-01-comparison")

    owner_page.locator(f"[data-offer]:has-text('{first.get_full_name()}')").get_by_role(
        "link", name="Accept offer…"
    ).click()
    owner_page.get_by_role("button", name="Review…").click()
    owner_page.get_by_text("Nothing is sent until you confirm").wait_for()
    assert "$1,250,000.00" in owner_page.content()
    at_both_widths(owner_page, "offers-02-confirm-accept")
    owner_page.get_by_role("button", name="Accept this offer").click()
    owner_page.get_by_text("You accepted the offer").wait_for()
    assert owner_page.locator("[data-live-part=status]").inner_text().strip() == "Accepted"

    # The other banker's open page turns to "Not selected" without a reload.
    watcher.locator("[data-live-part=status]").get_by_text("Not selected").wait_for()
    screenshot(watcher, "offers-03-not-selected")
    statuses = dict(ApplicationTrack.objects.values_list("banker_id", "status"))
    assert statuses == {first.pk: "accepted", second.pk: "not_selected", third.pk: "declined"}
    assert LoanApplication.objects.get(pk=application.pk).status == Status.ACCEPTED
