"""Owner and banker chat live in two browser contexts: messages, typing that
fades, "Seen", older pages on scroll, and a dropped socket that backfills."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import BankerFactory, OwnerFactory
from chat import services
from chat.models import Message
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

HISTORY = [
    "Hi Daniel, thanks for taking my call yesterday.",
    "Of course. Send me last year's statements when you can.",
    "Uploading them now.",
    "Got them, reviewing this afternoon.",
]


def test_owner_and_banker_chat_live(new_page: Any) -> None:
    owner = OwnerFactory(email="maya@reyes-foods.example", first_name="Maya", last_name="Reyes")
    owner.owner_profile.company_name = "Reyes Foods"
    owner.owner_profile.save()
    banker = BankerFactory(email="daniel@harbor-banker.example", first_name="Daniel", last_name="Okafor")
    banker.banker_profile.institution = "Harbor Bank"
    banker.banker_profile.save()
    convo, _ = services.conversation_start(owner=owner, banker_id=banker.pk)
    start = timezone.now() - timedelta(days=2)
    for n in range(36):  # a history longer than one page
        body = HISTORY[n % len(HISTORY)]
        sender = owner if n % 2 == 0 else banker
        Message.objects.create(
            conversation=convo, sender=sender, body=body, created_at=start + timedelta(minutes=n)
        )
    services.message_send(
        sender=owner, conversation_id=convo.pk, body="Is equipment financing an option for a $250k oven line?"
    )

    owner_page = new_page()
    banker_page = new_page()
    log_in(owner_page, owner.email, lands_on="/owner/")
    log_in(banker_page, banker.email, lands_on="/banker/")
    url = f"/messages/{convo.pk}/"
    owner_page.goto(url)
    banker_page.goto(url)
    for page in (owner_page, banker_page):
        page.locator(".chat-status-live").wait_for()

    # The banker types: the owner sees "typing…", then the message live.
    banker_page.get_by_label("Message").press_sequentially("Yes, ", delay=30)
    typing = owner_page.locator("[data-chat-typing]")
    owner_page.locator(".chat-typing-on").wait_for()
    assert typing.inner_text() == "Daniel Okafor is typing…"
    banker_page.get_by_label("Message").press_sequentially(
        "that fits our equipment financing. Rates start at 7.2%."
    )
    banker_page.get_by_role("button", name="Send").click()
    owner_page.get_by_text("Rates start at 7.2%.").wait_for()
    expect(owner_page.locator(".chat-typing-on")).to_have_count(0)

    # The owner had it on screen, so the banker sees "Seen" under it.
    banker_page.locator("li.chat-msg-mine:last-of-type + li.chat-seen, li.chat-seen").wait_for()
    assert banker_page.locator(".chat-seen").inner_text() == "Seen"

    # The owner answers; the banker reads it and the owner sees "Seen".
    owner_page.get_by_label("Message").fill("Great, I will apply today.")
    owner_page.get_by_label("Message").press("Enter")
    banker_page.get_by_text("I will apply today.").wait_for()
    owner_page.locator(".chat-seen").wait_for()

    # Typing fades after a few seconds without keystrokes. (The server drops typing
    # frames of one socket closer than half a second apart, hence the pause.)
    owner_page.wait_for_timeout(600)
    owner_page.get_by_label("Message").press_sequentially("Thanks", delay=20)
    banker_page.locator(".chat-typing-on").wait_for()
    expect(banker_page.locator(".chat-typing-on")).to_have_count(0, timeout=6000)
    owner_page.get_by_label("Message").fill("")

    # A dropped socket reconnects and backfills what arrived meanwhile. (This test
    # process has no route to the server's channel layer, so the message below is
    # only in PostgreSQL: it can reach the page through the REST backfill alone.)
    owner_page.evaluate("window.b2bRealtime.drop()")
    services.message_send(sender=banker, conversation_id=convo.pk, body="Sent while your socket was down.")
    owner_page.get_by_text("Sent while your socket was down.").wait_for()
    owner_page.locator(".chat-status-live").wait_for()

    # Older pages load when scrolling to the top.
    before = owner_page.locator("li.chat-msg").count()
    owner_page.locator("[data-chat-scroll]").evaluate("el => { el.scrollTop = 0; }")
    owner_page.locator("li.chat-msg").nth(before).wait_for()  # one more than before
    assert owner_page.locator("li.chat-msg").count() == Message.objects.filter(conversation=convo).count()
    owner_page.locator("[data-chat-scroll]").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    banker_page.locator("[data-chat-scroll]").evaluate("el => { el.scrollTop = el.scrollHeight; }")

    # Nothing is duplicated, on either side.
    for page in (owner_page, banker_page):
        ids = page.eval_on_selector_all("li.chat-msg[data-id]", "els => els.map(e => e.dataset.id)")
        assert len(ids) == len(set(ids))
    assert Message.objects.filter(body__contains="I will apply today").count() == 1
    # All read: the navigation's unread badge settles to hidden.
    expect(owner_page.locator("[data-nav-unread]")).to_be_hidden()
    assert banker_page.locator(".chat-typing-on").count() == 0, "clearing the box is not typing"
    screenshot(owner_page, "chat-owner")
    screenshot(banker_page, "chat-banker")

    # The inbox shows the banker's unread count badge in the navigation.
    services.message_send(sender=owner, conversation_id=convo.pk, body="One more thing: can we meet Friday?")
    banker_page.goto("/messages/")
    badge = banker_page.locator("[data-nav-unread]")
    badge.wait_for()
    assert badge.inner_text() == "1"
    screenshot(banker_page, "chat-banker-inbox")

    # New activity updates the inbox in place: the preview and the unread count
    # change while the page stays the same document (no reload).
    banker_page.evaluate("window.__sameDocument = true")
    owner_page.get_by_label("Message").fill("Friday at ten works for me.")
    owner_page.get_by_label("Message").press("Enter")
    row = banker_page.locator(f"[data-conversation='{convo.pk}']")
    expect(row.locator("[data-last-message]")).to_have_text("Friday at ten works for me.")
    expect(row.locator("[data-unread]")).to_contain_text("2")
    assert banker_page.evaluate("window.__sameDocument === true"), "the inbox reloaded"
    screenshot(banker_page, "chat-banker-inbox-live")


def test_conversation_fits_a_phone(new_page: Any) -> None:
    owner = OwnerFactory(email="maya@reyes-foods.example", first_name="Maya", last_name="Reyes")
    banker = BankerFactory(first_name="Daniel", last_name="Okafor")
    convo, _ = services.conversation_start(owner=owner, banker_id=banker.pk, message=HISTORY[0])
    services.message_send(sender=banker, conversation_id=convo.pk, body=HISTORY[1] * 3)
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, owner.email, lands_on="/owner/")
    page.goto(f"/messages/{convo.pk}/")
    page.locator(".chat-status-live").wait_for()
    screenshot(page, "chat-owner-phone")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
