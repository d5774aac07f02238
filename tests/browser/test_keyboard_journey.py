"""One journey without a mouse (#16): sign in, find a banker, apply, then
message the banker, with Tab, Enter, arrow keys and typing only. At every
stop the focused element must show a visible focus indicator."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import PASSWORD, BankerFactory, OwnerFactory
from loans.models import LoanApplication, Status
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

MAX_TABS = 120

# What the focused element is called, and whether the browser shows that it
# has focus (an outline or a ring drawn with box-shadow).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = (el.labels && el.labels[0] && el.labels[0].innerText)
    || el.getAttribute('aria-label') || el.innerText || el.value || '';
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {tag: el.tagName, name: label.trim().replace(/\\s+/g, ' '), visible: outline || ring,
          onScreen: r.width > 0 && r.height > 0};
}"""


def tab_to(page: Any, name: str, *, tag: str | None = None, backwards: bool = False) -> None:
    """Press Tab until the element called `name` has focus, checking on the way
    that each element reached shows its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus on {focused}"
        assert focused["onScreen"], f"focus on something not shown: {focused}"
        if focused["name"].startswith(name) and (tag is None or focused["tag"] == tag):
            return
    pytest.fail(f"{name!r} not reached with the keyboard in {MAX_TABS} presses")


def test_sign_in_apply_and_chat_with_the_keyboard_only(new_page: Any) -> None:
    owner = OwnerFactory(email="key.owner@example.com", first_name="Kim")
    banker = BankerFactory(
        email="key.banker@example.com",
        first_name="Rae",
        last_name="Quinn",
        profile__institution="Keyway Bank",
        profile__products=["term_loan"],
        profile__min_loan_amount=10000,
    )
    page = new_page()
    page.goto("/login/")

    tab_to(page, "Email", tag="INPUT")
    page.keyboard.type(owner.email)
    tab_to(page, "Password", tag="INPUT")
    page.keyboard.type(PASSWORD)
    tab_to(page, "Log in", tag="BUTTON")
    page.keyboard.press("Enter")
    page.wait_for_url("**/owner/")

    tab_to(page, "Find a banker", tag="A")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bankers/")
    tab_to(page, "Rae Quinn", tag="A")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/bankers/{banker.pk}/")
    screenshot(page, "keyboard-banker-profile")

    tab_to(page, "Apply", tag="A")
    page.keyboard.press("Enter")
    page.wait_for_url("**/applications/new/**")
    tab_to(page, "Loan product", tag="SELECT")
    page.keyboard.type("Term")  # a closed select picks the option typed
    tab_to(page, "Amount", tag="INPUT")
    page.keyboard.type("60000")
    tab_to(page, "Term (months)", tag="INPUT")
    page.keyboard.type("24")
    tab_to(page, "What is the loan for?", tag="TEXTAREA")
    page.keyboard.type("A delivery van.")
    tab_to(page, "Submit application", tag="BUTTON")
    screenshot(page, "keyboard-apply")
    page.keyboard.press("Enter")
    page.wait_for_url("**/applications/*/")
    application = LoanApplication.objects.get(owner=owner)
    assert application.status == Status.SUBMITTED
    assert application.product == "term_loan"

    page.goto(f"/bankers/{banker.pk}/")  # typed into the address bar
    tab_to(page, "Message", tag="BUTTON")
    page.keyboard.press("Enter")
    page.wait_for_url("**/messages/*/")
    tab_to(page, "Message", tag="TEXTAREA")
    page.keyboard.type("Hello Rae, I just applied for the van.")
    tab_to(page, "Send", tag="BUTTON")
    page.keyboard.press("Enter")
    page.get_by_text("Hello Rae, I just applied for the van.").wait_for()
    screenshot(page, "keyboard-chat")
