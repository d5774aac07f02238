"""`make backup` / `make restore` (tools/backup.py): a backup restored into a
fresh database and a fresh media directory serves the same applications,
messages and files."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from b2bbank import websocket_server
from chat import services as chat
from loans import services as loans
from loans.tests.factories import DraftFactory
from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _tool(*args: str, database: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "b2bbank.settings.test",
        "B2BBANK_SERVE_DATABASE": database,
    }
    result = subprocess.run(
        [sys.executable, "tools/backup.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def fresh_database(transactional_db: Any) -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server_on(tmp_path: Path) -> Iterator[Any]:
    processes: list[subprocess.Popen[bytes]] = []

    def start(database: str) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "b2bbank.settings.test",
            "B2BBANK_SERVE_DATABASE": database,
        }
        process = subprocess.Popen(
            websocket_server.command(port),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        wait_for_port(port, process)
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def _get_json(url: str, token: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def _files(media: Path) -> dict[str, str]:
    return {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in media.rglob("*")
        if p.is_file()
    }


def test_a_backup_restored_into_a_fresh_database_serves_the_same_data(
    owner_a: Any, banker_x: Any, fresh_database: str, server_on: Any, tmp_path: Path
) -> None:
    draft = DraftFactory(owner=owner_a)
    loans.application_submit(actor=owner_a, application_id=draft.pk, banker_id=banker_x.pk, note="Please")
    conversation, _ = chat.conversation_start(owner=owner_a, banker_id=banker_x.pk, message="Hello banker")
    chat.message_send(sender=banker_x, conversation_id=conversation.pk, body="Hello owner")
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"email": owner_a.email, "password": PASSWORD}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    reads = ["/api/v1/applications/", f"/api/v1/conversations/{conversation.pk}/messages/", "/api/v1/me/"]
    before = {url: client.get(url).json() for url in reads}
    media = tmp_path / "media"
    (media / "documents" / "2026").mkdir(parents=True)
    (media / "documents" / "2026" / "statement.pdf").write_bytes(b"%PDF-1.7 statement")

    folder = _tool(
        "backup",
        "--to",
        str(tmp_path / "backups"),
        "--media",
        str(media),
        database=connection.settings_dict["NAME"],
    )
    restored_media = tmp_path / "restored-media"
    _tool("restore", folder, "--media", str(restored_media), database=fresh_database)

    base = server_on(fresh_database)
    after = {url: _get_json(base + url, token) for url in reads}
    assert after == before
    assert [m["body"] for m in after[reads[1]]["results"]] == ["Hello owner", "Hello banker"]
    assert _files(restored_media) == _files(media)
