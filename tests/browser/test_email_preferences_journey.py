"""An owner turns one kind of notification email off on the profile page."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import OwnerFactory
from notifications.selectors import email_preferences
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_owner_turns_off_declined_emails(new_page: Any, width: int) -> None:
    owner = OwnerFactory(email=f"prefs{width}@example.com")
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, owner.email, lands_on="/owner/")
    page.goto("/account/profile/")
    section = page.get_by_role("group", name="Email me when")
    assert section.is_visible()
    box = section.get_by_label("An application is declined")
    assert box.is_checked()
    box.uncheck()
    screenshot(page, f"email-preferences-{width}")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/account/profile/")
    assert (
        not page.get_by_role("group", name="Email me when")
        .get_by_label("An application is declined")
        .is_checked()
    )
    preferences = email_preferences(user=owner)
    assert preferences["application.declined"] is False
    assert preferences["application.approved"] is True
