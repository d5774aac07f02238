"""Steps the browser journeys share."""

from __future__ import annotations

from typing import Any

from accounts.tests.factories import PASSWORD


def log_in(page: Any, email: str, *, lands_on: str | None = None) -> None:
    """Sign in on /login/ with the factories' password; with `lands_on`, wait
    until the browser is there (e.g. "/owner/")."""
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if lands_on is not None:
        page.wait_for_url(f"**{lands_on}")
