"""The browser journeys' inbox: the server process writes each email as a file
(Django's file backend, DJANGO_EMAIL_FILE_PATH); a journey waits for the one
sent to an address and follows its link, as a person would."""

from __future__ import annotations

import time
from pathlib import Path

from accounts.tests.mailbox import links_in
from tests.browser.conftest import MAIL_DIR


def _messages() -> list[tuple[float, str]]:
    found = []
    for path in Path(MAIL_DIR).glob("*.log"):
        for text in path.read_text(errors="replace").split("-" * 79):
            if text.strip():
                found.append((path.stat().st_mtime, text))
    return found


def wait_for_mail(to: str, subject: str, *, timeout: float = 10) -> str:
    """The newest message to `to` with `subject`, as raw text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        matches = [
            text for _, text in sorted(_messages()) if f"To: {to}" in text and f"Subject: {subject}" in text
        ]
        if matches:
            return matches[-1]
        time.sleep(0.1)
    raise AssertionError(f"no email to {to} with subject {subject!r}")


def only_link(message: str) -> str:
    (link,) = links_in(message)
    return link


def save(message: str, name: str) -> Path:
    """Keep the email next to the screenshots, as the journey's evidence."""
    path = MAIL_DIR.parent / f"{name}.txt"
    path.write_text(message)
    return path
