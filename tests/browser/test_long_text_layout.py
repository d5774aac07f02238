"""Long unbroken text (issue #16, defect 1): a 2,000-character word or a long
link in anything a user writes wraps inside its box at 390 and 1280 px, the
page never grows sideways, the banker's buttons stay clickable, and links in
notes and chat (server-rendered and live-inserted) are links with a safe rel."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory
from chat.tests.factories import ConversationFactory, MessageFactory
from loans import services
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

WORD = "W" * 2000
LINK = "https://example.com/" + "a" * 180


def page_width(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def too_wide(page: Any) -> list[str]:
    """The innermost elements that reach past the viewport (for the failure message)."""
    return list(
        page.evaluate(
            """() => { const wide = el => el.getBoundingClientRect().width > window.innerWidth;
                return [...document.querySelectorAll('body *')].filter(el => wide(el) && ![...el.children].some(wide))
                .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 30)); }"""
        )
    )


def hit_by_click(page: Any, locator: Any) -> bool:
    """Whether a click at the element's centre reaches it (nothing covers it)."""
    locator.scroll_into_view_if_needed()
    return bool(
        locator.evaluate(
            """el => { const r = el.getBoundingClientRect();
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return el === hit || el.contains(hit); }"""
        )
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_long_note_and_link_wrap_when_banker_reviews(new_page: Any, width: int) -> None:
    banker_user = BankerFactory(
        first_name="W" * 150,
        profile__institution="B" * 200,
        profile__bio=WORD[:1000],
        profile__city="Y" * 100,
    )
    owner_user = OwnerFactory(first_name="O" * 150, profile__company_name="C" * 120)
    application = ApplicationFactory(
        owner=owner_user, banker=banker_user, status=Status.SUBMITTED, purpose=f"{WORD[:1500]} {LINK}"
    )
    services.application_start_review(actor=banker_user, application_id=application.pk)
    services.application_request_info(actor=banker_user, application_id=application.pk, note=f"See {LINK}.")
    services.application_respond(
        actor=owner_user, application_id=application.pk, note=f"{WORD[:1500]} {LINK}"
    )

    banker = new_page({"width": width, "height": 900})
    log_in(banker, banker_user.email, lands_on="/banker/")
    banker.goto(f"/applications/{application.pk}/")
    assert page_width(banker) <= width, too_wide(banker)
    screenshot(banker, f"long-text-banker-detail-{width}")
    note_link = banker.locator(".timeline-note a").first
    assert note_link.get_attribute("href") == LINK
    assert note_link.get_attribute("rel") == "noopener noreferrer nofollow"
    banker.get_by_text("Make an offer…").wait_for()
    assert hit_by_click(banker, banker.get_by_text("Make an offer…"))
    for path in ("/pipeline/", "/notifications/", "/banker/"):
        banker.goto(path)
        assert page_width(banker) <= width, (path, too_wide(banker))

    owner = new_page({"width": width, "height": 900})
    log_in(owner, owner_user.email, lands_on="/owner/")
    for path in (
        "/owner/",
        f"/applications/{application.pk}/",
        "/applications/",
        f"/bankers/{banker_user.pk}/",
        "/bankers/",
        "/notifications/",
    ):
        owner.goto(path)
        assert page_width(owner) <= width, (path, too_wide(owner))
    screenshot(owner, f"long-text-owner-detail-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_chat_links_and_long_words_wrap_when_live_inserted(new_page: Any, width: int) -> None:
    owner_user = OwnerFactory()
    banker_user = BankerFactory()
    conversation = ConversationFactory(owner=owner_user, banker=banker_user)
    MessageFactory(conversation=conversation, sender=banker_user, body=f"Look: {LINK}. {WORD}")

    owner = new_page({"width": width, "height": 900})
    log_in(owner, owner_user.email, lands_on="/owner/")
    owner.goto(f"/messages/{conversation.pk}/")
    stored = owner.locator(".chat-bubble a").first
    assert stored.get_attribute("href") == LINK
    assert stored.get_attribute("rel") == "noopener noreferrer nofollow"

    # A live frame with hostile text: the link is built from DOM nodes, the markup stays text.
    owner.evaluate(
        """([conversation, sender, link]) => document.dispatchEvent(new CustomEvent("b2b:message.new",
            {detail: {type: "message.new", conversation: conversation, message: {id: 999999, sender: sender,
             body: "<img src=x onerror=alert(1)> " + link + ", javascript:alert(1)",
             created_at: "2026-01-05T14:15:00Z"}}}))""",
        [conversation.pk, banker_user.pk, LINK],
    )
    live = owner.locator('li[data-id="999999"] .chat-bubble')
    live.wait_for()
    assert live.locator("img").count() == 0
    assert "<img src=x onerror=alert(1)>" in live.inner_text()
    links = live.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == LINK
    assert links.first.get_attribute("rel") == "noopener noreferrer nofollow"
    assert page_width(owner) <= width, too_wide(owner)
    screenshot(owner, f"long-text-chat-{width}")
    owner.goto("/messages/")
    assert page_width(owner) <= width, too_wide(owner)
