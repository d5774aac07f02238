"""One time zone per screen (issue #16, defect 2): an Oakland owner whose
browser runs on another zone sees the same clock time for a message rendered
by the server and for one inserted live, both in their profile's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory
from chat.models import Message
from chat.tests.factories import ConversationFactory, MessageFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

SENT = datetime(2026, 1, 5, 7, 15, tzinfo=UTC)  # 23:15 on Jan 4 in Oakland


@pytest.mark.parametrize("width", [390, 1280])
def test_live_and_stored_chat_times_match_in_the_profiles_zone(
    browser: Any, server_url: str, transactional_db: Any, width: int
) -> None:
    owner_user = OwnerFactory(time_zone="America/Los_Angeles")
    banker_user = BankerFactory()
    conversation = ConversationFactory(owner=owner_user, banker=banker_user)
    stored = MessageFactory(conversation=conversation, sender=banker_user, body="Stored")
    Message.objects.filter(pk=stored.pk).update(created_at=SENT)

    context = browser.new_context(
        base_url=server_url, viewport={"width": width, "height": 900}, timezone_id="Asia/Tokyo"
    )
    try:
        page = context.new_page()
        log_in(page, owner_user.email, lands_on="/owner/")
        page.goto(f"/messages/{conversation.pk}/")
        server_time = page.locator(f'li[data-id="{stored.pk}"] .chat-time').inner_text()
        assert server_time == "Jan 4, 23:15"
        assert page.get_by_text("times in America/Los_Angeles").is_visible()
        page.evaluate(
            """([conversation, sender, sent]) => document.dispatchEvent(new CustomEvent("b2b:message.new",
                {detail: {type: "message.new", conversation: conversation, message: {id: 999999,
                 sender: sender, body: "Live", created_at: sent}}}))""",
            [conversation.pk, banker_user.pk, SENT.isoformat()],
        )
        live = page.locator('li[data-id="999999"] .chat-time')
        live.wait_for()
        assert live.inner_text() == server_time
        screenshot(page, f"time-zone-chat-{width}")
    finally:
        context.close()
