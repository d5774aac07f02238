"""Phones (issue #16, defect 10): the directory's filters fold behind a
"Filters" button that counts those in use, so results come first; an owner
asked for information answers right under the question, above the timeline."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory
from loans import services
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def top(locator: Any) -> float:
    return float(locator.evaluate("el => el.getBoundingClientRect().top + window.scrollY"))


def test_directory_filters_fold_on_a_phone_and_count_what_is_active(new_page: Any) -> None:
    BankerFactory(last_name="Quill", profile__region="CA", profile__products=["term_loan"])
    phone = new_page({"width": 390, "height": 844})
    phone.goto("/bankers/")
    toggle = phone.locator("summary", has_text="Filters")
    assert toggle.is_visible()
    assert not phone.get_by_label("Loan product").is_visible()
    first_result = phone.locator(".directory-item").first
    assert top(first_result) < 844, "the first result is on the first screen"
    screenshot(phone, "directory-filters-folded-390")
    phone.goto("/bankers/?product=term_loan&region=CA")
    assert " ".join(phone.locator("summary", has_text="Filters").inner_text().split()) == "Filters 2 active"
    phone.locator("summary", has_text="Filters").click()
    assert phone.get_by_label("Loan product").is_visible()
    assert axe_violations(phone) == []
    screenshot(phone, "directory-filters-open-390")

    desktop = new_page({"width": 1280, "height": 900})
    desktop.goto("/bankers/")
    assert desktop.get_by_label("Loan product").is_visible()
    screenshot(desktop, "directory-filters-1280")


@pytest.mark.parametrize("width", [390, 1280])
def test_owner_answers_under_the_question_above_the_timeline(new_page: Any, width: int) -> None:
    owner_user = OwnerFactory()
    banker_user = BankerFactory()
    application = ApplicationFactory(owner=owner_user, banker=banker_user, status=Status.IN_REVIEW)
    services.application_request_info(
        actor=banker_user, application_id=application.pk, note="Please send the last two years of accounts."
    )
    page = new_page({"width": width, "height": 900})
    log_in(page, owner_user.email, lands_on="/owner/")
    page.goto(f"/applications/{application.pk}/")
    notice = page.get_by_role("note").filter(has_text="needs more information")
    answer = notice.get_by_label("Message")
    assert answer.is_visible()
    assert top(answer) < top(page.get_by_role("heading", name="Timeline"))
    assert page.get_by_label("Message").count() == 1
    assert axe_violations(page) == []
    screenshot(page, f"info-request-answer-{width}")
    answer.fill("Both years are attached to the documents section.")
    notice.get_by_role("button", name="Send answer").click()
    page.get_by_text("Your answer has been sent").wait_for()
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
