"""Pasted text is never cut silently (issue #16, defect 8): a long box shows a
counter with its limit, keeps all of a 10,000-character paste, says how much is
too many, and the server refuses it next to the box with the text kept."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory
from chat.models import Message
from chat.tests.factories import ConversationFactory
from loans import services
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

PASTED = "p" * 10_000


@pytest.mark.parametrize("width", [390, 1280])
def test_owner_pastes_too_much_into_an_answer(new_page: Any, width: int) -> None:
    owner_user = OwnerFactory()
    banker_user = BankerFactory()
    application = ApplicationFactory(owner=owner_user, banker=banker_user, status=Status.IN_REVIEW)
    services.application_request_info(actor=banker_user, application_id=application.pk, note="Accounts?")

    page = new_page({"width": width, "height": 900})
    log_in(page, owner_user.email, lands_on="/owner/")
    page.goto(f"/applications/{application.pk}/")
    box = page.get_by_label("Message")
    counter = page.locator(f"#{box.get_attribute('id')}_count [aria-hidden=true]")
    assert counter.inner_text() == "0 / 2,000 characters"
    box.fill(PASTED)
    assert len(box.input_value()) == 10_000  # nothing cut by the browser
    assert counter.inner_text() == "8,000 characters too many: the limit is 2,000."
    assert axe_violations(page) == []
    screenshot(page, f"text-limit-counter-{width}")
    page.get_by_role("button", name="Send answer").click()
    page.get_by_text("Ensure this value has at most 2000 characters (it has 10000).").wait_for()
    assert len(page.get_by_label("Message").input_value()) == 10_000
    screenshot(page, f"text-limit-refused-{width}")
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED


def test_chat_message_over_the_limit_is_kept_and_not_sent(new_page: Any) -> None:
    owner_user = OwnerFactory()
    conversation = ConversationFactory(owner=owner_user, banker=BankerFactory())
    page = new_page({"width": 390, "height": 900})
    log_in(page, owner_user.email, lands_on="/owner/")
    page.goto(f"/messages/{conversation.pk}/")
    box = page.get_by_label("Message")
    box.fill("m" * 6000)
    assert page.get_by_text("1,000 characters too many: the limit is 5,000.").first.is_visible()
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("longer than 5,000 characters").is_visible()
    assert len(box.input_value()) == 6000
    assert not Message.objects.exists()
