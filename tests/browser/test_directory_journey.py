"""A business owner finds a banker: text plus filters, then the banker's profile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.choices import Availability, Industry, Product, VerificationStatus
from accounts.tests.factories import BankerFactory, OwnerFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def test_owner_searches_with_filters_and_opens_a_profile(new_page: Any) -> None:
    owner = OwnerFactory(email="maya@reyes-foods.example", first_name="Maya")
    target = BankerFactory(
        first_name="Daniel",
        last_name="Okafor",
        profile__institution="Pacific Trust",
        profile__job_title="Equipment Finance Manager",
        profile__bio="I help family-owned manufacturers buy equipment: CNC machines, "
        "packaging lines and delivery fleets. Quick decisions and a single point of contact.",
        profile__city="Los Angeles",
        profile__region="CA",
        profile__products=[Product.EQUIPMENT_FINANCING, Product.TERM_LOAN],
        profile__industries=[Industry.MANUFACTURING, Industry.HOSPITALITY],
        profile__min_loan_amount=Decimal(100000),
        profile__max_loan_amount=Decimal(1500000),
    )
    BankerFactory(
        first_name="Grace",
        last_name="Lee",
        profile__institution="Summit Commercial Bank",
        profile__bio="Equipment loans for restaurants and hotels across California.",
        profile__city="San Diego",
        profile__region="CA",
        profile__products=[Product.EQUIPMENT_FINANCING, Product.LINE_OF_CREDIT],
        profile__min_loan_amount=Decimal(25000),
        profile__max_loan_amount=Decimal(5000000),
    )
    BankerFactory(  # right product and place but away
        first_name="Omar",
        last_name="Patel",
        profile__region="CA",
        profile__bio="Equipment financing.",
        profile__availability=Availability.AWAY,
    )
    BankerFactory(  # too small a maximum
        first_name="Lena",
        last_name="Kim",
        profile__region="CA",
        profile__bio="Equipment financing for start-ups.",
        profile__max_loan_amount=Decimal(100000),
    )
    BankerFactory(  # not verified yet: never listed
        first_name="Hidden",
        last_name="Pending",
        profile__region="CA",
        profile__bio="Equipment financing.",
        profile__verification_status=VerificationStatus.PENDING,
    )

    page = new_page()
    log_in(page, owner.email, lands_on="/owner/")
    page.get_by_role("link", name="Find a banker").first.click()
    page.wait_for_url("**/bankers/")

    page.get_by_label("Search").fill("equipment")
    page.get_by_label("Loan product").select_option("equipment_financing")
    page.get_by_label("Loan amount (USD)").fill("250000")
    page.get_by_label("State / region").fill("CA")
    page.get_by_label("Availability").select_option("available")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/bankers/?*")

    assert page.get_by_role("heading", name="2 bankers match").is_visible()
    results = page.locator(".directory-item h3")
    assert sorted(results.all_inner_texts()) == ["Daniel Okafor", "Grace Lee"]
    assert page.get_by_label("Loan amount (USD)").input_value() == "250000"
    assert page.get_by_label("State / region").input_value() == "CA"
    screenshot(page, "directory-results")

    page.get_by_role("link", name="Daniel Okafor").click()
    page.wait_for_url(f"**/bankers/{target.pk}/")
    assert page.get_by_role("heading", name="Daniel Okafor", level=1).is_visible()
    assert page.get_by_text("$100,000 \u2013 $1,500,000").is_visible()
    screenshot(page, "directory-profile")
    page.get_by_role("link", name="Apply").click()
    page.wait_for_url(f"**?banker={target.pk}")


def test_directory_fits_a_phone(new_page: Any) -> None:
    owner = OwnerFactory(email="phone@owner.example")
    BankerFactory(first_name="Daniel", last_name="Okafor")
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, owner.email, lands_on="/owner/")
    page.goto("/bankers/?q=&amount=abc")
    assert page.get_by_text("Enter a plain number with digits").is_visible()
    assert page.get_by_label("Loan amount (USD)").input_value() == "abc"
    screenshot(page, "directory-phone-error")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
