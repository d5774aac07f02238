"""The production layout run for real on loopback (tools/prod_local.py, what
`make prod-local` starts): nginx in front of gunicorn and two Daphne processes,
two job workers, Redis, PostgreSQL and an SMTP server. Everything below goes
through nginx."""

from __future__ import annotations

import email
import json
import os
import re
import shutil
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import psutil
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from websockets.sync.client import connect

from accounts.tests.factories import PASSWORD
from tests.jobs import SEND_EMAIL, jobs, purge_jobs
from tests.servers import listening
from tools.prod_local import ProdLocal, database_url_for, nginx_binary

pytestmark = pytest.mark.slow
REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture(scope="module")
def layout(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[ProdLocal]:
    try:
        nginx_binary()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    if not listening(6379):
        pytest.fail("Redis must run on 127.0.0.1:6379")
    with django_db_blocker.unblock():
        url = database_url_for(connection.settings_dict)
        purge_jobs()
    prod = ProdLocal(database_url=url, redis_url=REDIS, run_dir=tmp_path_factory.mktemp("prod-local"))
    try:
        prod.start()
        yield prod
    finally:
        prod.stop_all()
        with django_db_blocker.unblock():
            purge_jobs()


class Api:
    """JSON over HTTP through nginx, with a bearer token once signed in."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.token = ""

    def call(
        self,
        method: str,
        path: str,
        data: Any = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, Any]:
        body = raw if raw is not None else (json.dumps(data).encode() if data is not None else None)
        headers = {"Content-Type": content_type}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (loopback)
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, text.decode(errors="replace")

    def sign_in(self, address: str, password: str) -> None:
        status, body = self.call("POST", "/api/v1/auth/token/", {"email": address, "password": password})
        assert status == 200, body
        self.token = body["token"]


def _production_password(*users: Any) -> None:
    """Test users are hashed with MD5 (fast); the production processes only
    accept Argon2 and PBKDF2."""
    for user in users:
        user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
        user.save(update_fields=["password"])


def _mails(layout: ProdLocal) -> list[Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(layout.mail_dir.glob("*.eml"))]


def _text(message: Message) -> str:
    """A message's text, whatever its parts and transfer encoding."""
    parts = message.walk() if message.is_multipart() else [message]
    return "".join(
        (part.get_payload(decode=True) or b"").decode(part.get_content_charset() or "utf-8", "replace")
        for part in parts
        if part.get_content_type() == "text/plain"
    )


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "b2bbank-prod-local-boundary"
    lines: list[bytes] = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode(),
        ]
    lines += [
        f"--{boundary}".encode(),
        f'Content-Disposition: form-data; name="file"; filename="{filename}"'.encode(),
        b"Content-Type: application/pdf",
        b"",
        content,
        f"--{boundary}--".encode(),
        b"",
    ]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def _verify_email(owner: Api, layout: ProdLocal, address: str) -> None:
    """Follow the confirmation link the sign-up sent: its last path segment is the key."""
    mail = _wait_until(
        lambda: [m for m in _mails(layout) if m["To"] == address and "/email/confirm/" in _text(m)]
    )
    key = re.search(r"/email/confirm/([^/\s]+)/", _text(mail[0]))
    assert key is not None
    status, body = owner.call("POST", "/api/v1/auth/email/verify/", {"key": key.group(1)})
    assert status == 200, body


def _wait_until(condition: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail("timed out")


def _socket(api: Api, layout: ProdLocal) -> Any:
    status, body = api.call("POST", "/api/v1/realtime/ticket/")
    assert status == 201, body
    return connect(
        f"ws://127.0.0.1:{layout.port}/ws/?ticket={body['ticket']}",
        additional_headers={"Origin": layout.url},
        open_timeout=10,
    )


def _apply(owner: Api, banker_id: int) -> int:
    draft = {
        "product": "term_loan",
        "amount": "250000.00",
        "term_months": 36,
        "purpose": "A second CNC line.",
    }
    status, created = owner.call("POST", "/api/v1/applications/", draft)
    assert status == 201, created
    status, submitted = owner.call(
        "POST", f"/api/v1/applications/{created['id']}/submit/", {"banker": banker_id}
    )
    assert status == 200, submitted
    return int(created["id"])


def _chat_across_processes(owner: Api, banker: Api, layout: ProdLocal, banker_id: int) -> None:
    status, conversation = owner.call("POST", "/api/v1/conversations/", {"banker": banker_id})
    assert status in (200, 201), conversation
    with _socket(owner, layout) as owner_ws:
        upstream = owner_ws.response.headers["X-Upstream"]
        for _ in range(6):  # nginx round-robins sockets: take the banker's to the other Daphne
            banker_ws = _socket(banker, layout)
            if banker_ws.response.headers["X-Upstream"] != upstream:
                break
            banker_ws.close()
        else:
            pytest.fail("every socket went to the same Daphne")
        with banker_ws:
            frame = {"type": "message.send", "conversation": conversation["id"], "body": "Hello across"}
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:  # until both processes have joined their Redis groups
                owner_ws.send(json.dumps({**frame, "client_id": "hello-1"}))
                try:
                    received = json.loads(banker_ws.recv(timeout=1))
                except TimeoutError:
                    continue
                if received["type"] == "message.new":
                    assert received["message"]["body"] == "Hello across"
                    return
            pytest.fail("the banker's socket never heard the owner's message")


def test_an_owner_journey_through_nginx(layout: ProdLocal, transactional_db: Any, banker_x: Any) -> None:
    owner = Api(layout.url)
    signup = {
        "email": "journey@example.com",
        "password": "journey-pass-2026!",
        "first_name": "Jo",
        "last_name": "Urney",
        "company_name": "Journey Tools",
        "industry": "manufacturing",
        "accept_terms": True,
    }
    status, body = owner.call("POST", "/api/v1/auth/signup/business-owner/", signup)
    assert status == 201, body
    _verify_email(owner, layout, signup["email"])
    owner.sign_in(signup["email"], signup["password"])
    application_id = _apply(owner, banker_x.pk)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    upload, content_type = _multipart({"kind": "bank_statements"}, "March statement.pdf", pdf)
    status, document = owner.call(
        "POST", f"/api/v1/applications/{application_id}/documents/", raw=upload, content_type=content_type
    )
    assert status == 201, document
    assert (document["name"], document["content_type"]) == ("March statement.pdf", "application/pdf")
    _production_password(banker_x)
    banker = Api(layout.url)
    banker.sign_in(banker_x.email, PASSWORD)
    _chat_across_processes(owner, banker, layout, banker_x.pk)

    status, body = banker.call("POST", f"/api/v1/applications/{application_id}/start-review/", {})
    assert status == 200, body
    status_mail = _wait_until(
        lambda: [
            m for m in _mails(layout) if m["To"] == signup["email"] and "started reviewing" in m["Subject"]
        ]
    )
    assert f"next=%2Fapplications%2F{application_id}%2F" in status_mail[0].get_payload()

    # The proxy refuses an upload over its limit before any app process reads it.
    status, body = owner.call("POST", "/api/v1/applications/", raw=b"x" * (27 * 1024 * 1024))
    assert status == 413
    assert "nginx" in str(body)


def test_a_worker_killed_mid_job_has_the_job_done_once(
    layout: ProdLocal, transactional_db: Any, owner_a: Any, banker_x: Any
) -> None:
    _production_password(owner_a)
    owner = Api(layout.url)
    owner.sign_in(owner_a.email, PASSWORD)
    (layout.mail_dir / "hold").write_text("30")  # the next send hangs at RCPT...
    (layout.mail_dir / "holding").unlink(missing_ok=True)
    try:
        application_id = _apply(owner, banker_x.pk)
        _wait_until(lambda: (layout.mail_dir / "holding").exists())
        victim = _worker_talking_to_smtp(layout)
        layout.processes[victim].send_signal(signal.SIGKILL)  # ...and its worker dies there, before DATA
        layout.processes.pop(victim).wait(timeout=10)
    finally:
        (layout.mail_dir / "hold").unlink(missing_ok=True)
    reference = f"LA-{application_id:06d}"
    arrived = _wait_until(lambda: [m for m in _mails(layout) if reference in m["Subject"]])
    time.sleep(2)
    assert len([m for m in _mails(layout) if reference in m["Subject"]]) == len(arrived) == 1
    (job,) = [j for j in jobs(SEND_EMAIL) if j.status == "succeeded" and j.attempts >= 2]
    assert job.args["notification_id"]
    layout.start_worker(victim)


def _worker_talking_to_smtp(layout: ProdLocal) -> str:
    for name in ("worker1", "worker2"):
        process = psutil.Process(layout.processes[name].pid)
        if any(c.raddr and c.raddr.port == layout.smtp_port for c in process.net_connections()):
            return name
    pytest.fail("no worker is connected to the SMTP server")


def test_three_notifications_due_while_smtp_is_down_all_arrive_once(
    layout: ProdLocal, transactional_db: Any, owner_a: Any, banker_x: Any
) -> None:
    _production_password(owner_a)
    owner = Api(layout.url)
    owner.sign_in(owner_a.email, PASSWORD)
    layout.stop("smtp")
    before = len(_mails(layout))
    ids = [_apply(owner, banker_x.pk) for _ in range(3)]
    references = {f"LA-{i:06d}" for i in ids}
    _wait_until(lambda: len([j for j in jobs(SEND_EMAIL) if j.attempts >= 1 and j.status == "todo"]) >= 3)
    assert len(_mails(layout)) == before
    layout.start_smtp()
    _wait_until(lambda: len(_mails(layout)) >= before + 3)
    time.sleep(2)  # nothing more trickles in
    new = _mails(layout)[before:]
    assert sorted(ref for m in new for ref in references if ref in m["Subject"]) == sorted(references)
    assert len({m["Message-ID"] for m in new}) == len(new) == 3


@pytest.fixture(scope="module", autouse=True)
def _keep_artifacts(layout: ProdLocal) -> Iterator[None]:
    """The run's logs and nginx.conf end up in artifacts/prod-local/."""
    yield
    target = Path(__file__).resolve().parents[1] / "artifacts" / "prod-local"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    for path in layout.run_dir.iterdir():
        if path.is_file() and path.suffix in {".log", ".conf"}:
            shutil.copy(path, target / path.name)
    os.sync()
