"""A real SMTP server (aiosmtpd) for the tests that run job workers: it keeps
every message it accepted, and the test stops and starts it at will.

Run on its own (`python -m tests.smtp PORT DIRECTORY`), as `make prod-local`
does, it writes each message to DIRECTORY as one file."""

from __future__ import annotations

import asyncio
import email
import logging
import sys
import time
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Recorder:
    """aiosmtpd handler: keeps (and optionally files) each message. `hold`
    seconds of delay before answering RCPT let a test kill a sender mid-send."""

    def __init__(self, directory: Path | None = None) -> None:
        self.messages: list[Message] = []
        self.directory = directory
        self.hold = 0.0

    def _hold(self) -> float:
        """`hold` seconds, or what the file `hold` in the directory says (how a
        test holds a server running in another process)."""
        control = self.directory / "hold" if self.directory is not None else None
        if control is not None and control.exists():
            return float(control.read_text() or 0)
        return self.hold

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        hold = self._hold()
        if hold:
            if self.directory is not None:
                (self.directory / "holding").touch()
            await asyncio.sleep(hold)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content)
        self.messages.append(message)
        if self.directory is not None:
            name = f"{time.time_ns()}-{len(self.messages)}.eml"
            (self.directory / name).write_bytes(envelope.content)
        return "250 Message accepted for delivery"


class SmtpServer:
    """Listen on 127.0.0.1:`port` when started; refuse connections when stopped."""

    def __init__(self, port: int, recorder: Recorder | None = None) -> None:
        self.port = port
        self.recorder = recorder or Recorder()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.recorder.messages

    def start(self) -> None:
        self._controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


def main() -> None:  # pragma: no cover - run by make prod-local
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    server = SmtpServer(port, Recorder(directory))
    server.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
