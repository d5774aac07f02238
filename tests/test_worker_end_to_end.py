"""Real worker processes (`manage.py procrastinate worker`) against the real
PostgreSQL test database and a real SMTP server (aiosmtpd): emails wait while
the mail server is down and all arrive once it is back, none twice; a worker
killed in the middle of a job has that job done by another worker, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from notifications import services
from notifications.models import Notification
from tests.jobs import SEND_EMAIL, jobs
from tests.servers import free_port
from tests.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.usefixtures("clean_queue"), pytest.mark.slow]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def start_worker(smtp: SmtpServer) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "B2BBANK_SERVE_DATABASE": connection.settings_dict["NAME"],
        "B2BBANK_TEST_SMTP_PORT": str(smtp.port),
        # Short clocks so the test takes seconds: retries after 2, 4, 8 s; a worker
        # silent for 3 s is dead; the stalled-job sweep runs every second.
        "B2BBANK_JOB_RETRY_BASE_SECONDS": "2",
        "B2BBANK_WORKER_HEARTBEAT_SECONDS": "0.5",
        "B2BBANK_WORKER_STALLED_SECONDS": "3",
        "B2BBANK_STALLED_SWEEP_CRON": "* * * * * *",
    }

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--fetch-job-polling-interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.1)


def _notify(user: Any, count: int) -> list[Notification]:
    return [
        services.notification_create(recipient=user, kind="k", title=f"Update {n}", link="/applications/")
        for n in range(count)
    ]


def _message_ids(smtp: SmtpServer) -> list[str]:
    return sorted(str(message["Message-ID"]) for message in smtp.messages)


def test_emails_wait_while_smtp_is_down_then_all_arrive_once(
    owner_a: Any, smtp: SmtpServer, start_worker: Any
) -> None:
    notifications = _notify(owner_a, 3)
    start_worker()
    # Every job tried once, failed on the refused connection, and waits for its retry.
    _wait_until(lambda: all(job.attempts >= 1 and job.status == "todo" for job in jobs(SEND_EMAIL)))
    assert smtp.messages == []
    smtp.start()
    _wait_until(lambda: all(job.status == "succeeded" for job in jobs(SEND_EMAIL)))
    time.sleep(1)  # nothing more trickles in
    assert _message_ids(smtp) == sorted(f"<notification-{n.pk}@127.0.0.1>" for n in notifications)
    assert all(n.emailed_at is not None for n in Notification.objects.all())


def test_a_worker_killed_mid_job_has_its_job_done_once_by_another(
    owner_a: Any, smtp: SmtpServer, start_worker: Any
) -> None:
    smtp.recorder.hold = 3  # the first send hangs on RCPT...
    smtp.start()
    (notification,) = _notify(owner_a, 1)
    first = start_worker()
    _wait_until(lambda: jobs(SEND_EMAIL)[0].status == "doing")
    time.sleep(0.5)
    first.send_signal(signal.SIGKILL)  # ...and its worker dies there, before DATA
    first.wait(timeout=10)
    smtp.recorder.hold = 0
    start_worker()
    _wait_until(lambda: jobs(SEND_EMAIL)[0].status == "succeeded")
    time.sleep(1)
    assert _message_ids(smtp) == [f"<notification-{notification.pk}@127.0.0.1>"]
    assert jobs(SEND_EMAIL)[0].attempts >= 2  # the stalled attempt counts
