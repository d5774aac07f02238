"""The header (issue #16, defect 4): one row at every width from 1024 px up for
each persona, with a long name and unread badges; below 1024 px the links fold
behind the Menu button."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory, StaffFactory
from chat.tests.factories import ConversationFactory, MessageFactory
from notifications.services import notification_create
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser

ONE_ROW = 70  # the 62 px row plus rounding; a second row adds at least 40 px


def make_user(persona: str) -> Any:
    # 13 characters and more: the name that wrapped the owner's header.
    names = {"first_name": "Bartholomew-Jo", "last_name": "Featherstonehaugh"}
    if persona == "owner":
        user = OwnerFactory(**names)
    elif persona == "banker":
        user = BankerFactory(**names)
    else:
        user = StaffFactory(**names)
    for number in range(12):
        notification_create(
            recipient=user, kind="application.submitted", title=f"Unread {number}", email=False
        )
    if persona in ("owner", "banker"):
        conversation = (
            ConversationFactory(owner=user) if persona == "owner" else ConversationFactory(banker=user)
        )
        other = conversation.banker if persona == "owner" else conversation.owner
        for _ in range(3):
            MessageFactory(conversation=conversation, sender=other)
    return user


def header_rows(page: Any) -> dict[str, float]:
    return dict(
        page.evaluate(
            """() => { const h = document.querySelector('.site-header').getBoundingClientRect();
                const b = document.querySelector('.brand').getBoundingClientRect();
                return {height: h.height, brandTop: b.top - h.top, brandBottom: h.bottom - b.bottom}; }"""
        )
    )


@pytest.mark.parametrize("persona", ["owner", "banker", "staff"])
def test_header_is_one_row_when_wide_and_folds_when_narrow(new_page: Any, persona: str) -> None:
    user = make_user(persona)
    page = new_page({"width": 1440, "height": 800})
    log_in(page, user.email)
    page.wait_for_url("**/")
    page.goto("/notifications/")
    page.locator(".nav-count").first.wait_for()
    for width in (1024, 1100, 1280, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(100)
        rows = header_rows(page)
        assert rows["height"] <= ONE_ROW, (persona, width, rows)
        # The logo sits in the middle of the bar, not on its top edge.
        assert abs(rows["brandTop"] - rows["brandBottom"]) <= 4, (persona, width, rows)
        assert page.get_by_role("button", name="Log out").is_visible()
        assert not page.locator(".nav-toggle").is_visible()
        if width in (1024, 1280):
            screenshot(page, f"header-{persona}-{width}")
    for width in (1023, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(100)
        assert page.locator(".nav-toggle").is_visible(), (persona, width)
        assert header_rows(page)["height"] <= ONE_ROW, (persona, width)
    page.locator(".nav-toggle").click()
    assert page.get_by_role("link", name="Notifications").is_visible()
    screenshot(page, f"header-{persona}-390-open")
