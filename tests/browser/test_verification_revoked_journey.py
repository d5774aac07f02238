"""Staff take a banker's verification away: the owner finds the application
back in their drafts with the reason, and the conversation read-only."""

from __future__ import annotations

from typing import Any

import pytest

from accounts import services as account_services
from accounts.choices import VerificationStatus
from accounts.tests.factories import BankerFactory, OwnerFactory, StaffFactory
from chat import services as chat_services
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_owner_sees_the_released_application_and_a_read_only_conversation(new_page: Any, width: int) -> None:
    owner = OwnerFactory(email=f"maya{width}@reyes-foods.example", first_name="Maya", last_name="Reyes")
    banker = BankerFactory(email=f"dan{width}@harbor.example", first_name="Daniel", last_name="Okafor")
    application = ApplicationFactory(owner=owner, banker=banker, status=Status.IN_REVIEW)
    convo, _ = chat_services.conversation_start(owner=owner, banker_id=banker.pk, message="Hello Daniel")
    account_services.banker_set_verification(
        banker_id=banker.pk, status=VerificationStatus.REJECTED, actor=StaffFactory()
    )
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, owner.email, lands_on="/owner/")
    page.goto(f"/applications/{application.pk}/")
    assert page.get_by_text("back in your drafts").first.is_visible()
    screenshot(page, f"revoked-01-application-{width}")
    page.goto(f"/messages/{convo.pk}/")
    assert page.get_by_text("so this conversation is read-only").is_visible()
    assert page.locator("[data-chat-form]").count() == 0
    assert page.get_by_text("Hello Daniel").is_visible()
    screenshot(page, f"revoked-02-conversation-{width}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
