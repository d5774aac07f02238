"""The CSP must not break what people use: our pages, Django admin, Swagger UI."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.tests.factories import PASSWORD, StaffFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def collect_csp_violations(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_swagger_ui_renders_under_the_csp(new_page: Any) -> None:
    page = new_page()
    violations = collect_csp_violations(page)
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "b2bbank API" in page.inner_text(".swagger-ui .info .title")
    screenshot(page, "06-api-docs")
    assert violations == []


def test_admin_and_pages_render_under_the_csp(new_page: Any) -> None:
    StaffFactory(email="admin@example.com")
    page = new_page()
    violations = collect_csp_violations(page)
    for url in ("/", "/signup/banker/", "/login/"):
        page.goto(url)
    page.goto("/admin/login/")
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/accounts/bankerprofile/")
    assert page.get_by_role("heading", name="Select banker profile to change").is_visible()
    screenshot(page, "07-admin-bankers")
    assert violations == []


def test_every_signed_in_page_runs_without_csp_violations(new_page: Any) -> None:
    """Owner and banker walk the app's pages; any inline script or style that
    lacks the nonce shows up as a console violation."""
    from accounts.tests.factories import BankerFactory, OwnerFactory
    from chat import services as chat
    from loans import services as loans

    owner = OwnerFactory(email="csp.owner@example.com")
    banker = BankerFactory(email="csp.banker@example.com")
    conversation, _ = chat.conversation_start(owner=owner, banker_id=banker.pk, message="Hello")
    application = loans.application_create(
        owner=owner,
        banker_id=banker.pk,
        product="term_loan",
        amount=Decimal("250000"),
        term_months=36,
        purpose="Growth",
    )
    loans.application_submit(actor=owner, application_id=application.pk)
    urls = {
        owner.email: [
            "/owner/",
            "/bankers/",
            f"/bankers/{banker.pk}/",
            "/applications/",
            "/applications/new/",
            f"/applications/{application.pk}/",
            "/notifications/",
            "/messages/",
            f"/messages/{conversation.pk}/",
            "/account/profile/",
            "/account/security/",
        ],
        banker.email: [
            "/banker/",
            "/pipeline/",
            f"/applications/{application.pk}/",
            "/messages/",
            f"/messages/{conversation.pk}/",
            "/account/profile/",
        ],
    }
    for email, pages in urls.items():
        page = new_page()
        violations = collect_csp_violations(page)
        log_in(page, email)
        for url in pages:
            response = page.goto(url)
            assert response is not None
            assert response.status == 200, url
        assert violations == [], email


def test_the_nav_folds_behind_a_menu_button_on_a_phone(new_page: Any) -> None:
    from accounts.tests.factories import OwnerFactory
    from notifications.services import notification_create

    owner = OwnerFactory(email="phone.owner@example.com")
    notification_create(recipient=owner, kind="test", title="Hello", body="Something happened.", email=False)
    page = new_page(viewport={"width": 390, "height": 844})
    violations = collect_csp_violations(page)
    log_in(page, owner.email, lands_on="/owner/")
    menu = page.get_by_role("button", name="Menu")
    links = page.get_by_role("navigation", name="Main")
    assert menu.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    assert not links.is_visible()
    assert page.locator(".nav-toggle-dot").is_visible()  # an unread notification
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 80  # one row, not three
    screenshot(page, "12-phone-nav-closed")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert links.get_by_role("link", name="Find a banker").is_visible()
    screenshot(page, "13-phone-nav-open")
    links.get_by_role("link", name="Find a banker").click()
    page.wait_for_url("**/bankers/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"  # each page starts folded
    menu.click()
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("navigation", name="Main").is_visible()
    desktop = new_page()
    log_in(desktop, owner.email, lands_on="/owner/")
    assert not desktop.get_by_role("button", name="Menu").is_visible()
    assert (
        desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Find a banker").is_visible()
    )
    assert violations == []
