"""Browser tests: a real Daphne process serving the test database (pages and
websockets, as in development), driven by Playwright on Debian's Chromium.

Tests use `transactional_db` data (committed, so the server process sees it);
the database is flushed after each test. Screenshots go to artifacts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from b2bbank import websocket_server
from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
MAIL_DIR = ARTIFACTS / "mail"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def server_url(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """Daphne serving the test database on a free port for the whole session."""
    with django_db_blocker.unblock():
        test_db_name = connection.settings_dict["NAME"]
    port = free_port()
    shutil.rmtree(MAIL_DIR, ignore_errors=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "b2bbank.settings.test",
        "B2BBANK_SERVE_DATABASE": test_db_name,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Emails land as files the journeys open (tests/browser/mailbox.py).
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(MAIL_DIR),
        "B2BBANK_SITE_URL": f"http://127.0.0.1:{port}",
        # The server outlives each test's data (flushed between tests) and its
        # process-local cache is not the test process's, so a directory page
        # cached by one journey would be served to the next one.
        "B2BBANK_DIRECTORY_CACHE_SECONDS": "0",
    }
    log = (ARTIFACTS / "browser-server.log").open("wb") if ARTIFACTS.mkdir(exist_ok=True) is None else None
    process = subprocess.Popen(
        websocket_server.command(port),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the CI script does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser: Any, server_url: str, transactional_db: Any) -> Iterator[Any]:
    """Factory for pages in fresh browser contexts (one per user in a test)."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            base_url=server_url, viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artifact and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
