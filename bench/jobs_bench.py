"""Jobs benchmark, on a throwaway database (bench_<DATABASE_URL name>):

1. what deferring the email job adds to a status change: request-info /
   respond pairs through the services, rounds alternating with the deferral
   replaced by a no-op (A/B), p50 and p95 per arm;
2. emails per second through real `manage.py procrastinate worker` processes
   (1, then 2) to a local SMTP server (aiosmtpd), from the first job started to
   the last one done;
3. the queue's lag (deferred -> started, from procrastinate's events) with two
   workers while notifications arrive at a steady rate below that throughput.

Usage: DATABASE_URL=postgres://... python bench/jobs_bench.py [pairs_per_round] [emails]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PAIRS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
EMAILS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
ROUNDS = 6


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def sql(query: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def purge() -> None:
    sql("TRUNCATE procrastinate_jobs, procrastinate_workers, procrastinate_periodic_defers CASCADE")


def status_change_ab() -> None:
    from accounts.tests.factories import BankerFactory, OwnerFactory
    from loans import services
    from loans.models import Status
    from loans.tests.factories import ApplicationFactory
    from notifications import services as notification_services

    banker, owner = BankerFactory(), OwnerFactory()
    application = ApplicationFactory(owner=owner, banker=banker, status=Status.IN_REVIEW)
    real_defer = notification_services.defer
    arms: dict[str, list[float]] = {"with enqueue": [], "without (no-op)": []}

    def pair(samples: list[float]) -> None:
        for call in (
            lambda: services.application_request_info(actor=banker, application_id=application.pk, note="?"),
            lambda: services.application_respond(actor=owner, application_id=application.pk, note="!"),
        ):
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)

    for _ in range(20):  # warm up: prepared statements, caches
        pair([])
    no_op: Callable[..., int] = lambda *args, **kwargs: 0  # noqa: E731
    # Arms alternate pair by pair, so the machine's load (shared, noisy) falls on both alike.
    for index in range(ROUNDS * PAIRS * 2):
        arm = list(arms)[index % 2]
        notification_services.defer = real_defer if arm == "with enqueue" else no_op  # type: ignore[assignment]
        pair(arms[arm])
        if index % 200 == 199:
            purge()
    notification_services.defer = real_defer  # type: ignore[assignment]
    print(f"\n1. A status change (request info / respond), {ROUNDS * PAIRS} pairs per arm, arms alternating")
    for arm, samples in arms.items():
        print(
            f"   {arm:<16} n={len(samples)}  p50 {statistics.median(samples):6.2f} ms  "
            f"p95 {percentile(samples, 0.95):6.2f} ms"
        )
    a, b = arms.values()
    print(
        f"   added by the enqueue: p50 {statistics.median(a) - statistics.median(b):+.2f} ms, "
        f"p95 {percentile(a, 0.95) - percentile(b, 0.95):+.2f} ms"
    )


def start_workers(count: int, smtp_port: int) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "B2BBANK_SERVE_DATABASE": connection.settings_dict["NAME"],
        "B2BBANK_TEST_SMTP_PORT": str(smtp_port),
        "DJANGO_CONN_MAX_AGE": "60",  # as in production: one connection per worker, kept
    }
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


def wait_for(condition: Callable[[], bool], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.2)


def succeeded() -> int:
    return sql("SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'")[0][0]


def throughput(owner: Any, smtp: Any, workers: int) -> float:
    from notifications.services import notification_create

    purge()
    for n in range(EMAILS):
        notification_create(
            recipient=owner, kind="bench", title=f"Bench {n}", body="b", link="/applications/"
        )
    received = len(smtp.messages)
    processes = start_workers(workers, smtp.port)
    try:
        wait_for(lambda: succeeded() >= EMAILS)
    finally:
        stop(processes)
    first, last = sql(
        "SELECT min(at) FILTER (WHERE type = 'started'), max(at) FILTER (WHERE type = 'succeeded') "
        "FROM procrastinate_events"
    )[0]
    seconds = (last - first).total_seconds()
    rate = EMAILS / seconds
    assert len(smtp.messages) - received == EMAILS
    print(f"   {workers} worker(s): {EMAILS} emails in {seconds:.1f} s = {rate:.0f} emails/s")
    return rate


def lag_under_load(owner: Any, smtp: Any, rate: float, seconds: float = 20) -> None:
    from jobs.selectors import queue_summary
    from notifications.services import notification_create

    purge()
    processes = start_workers(2, smtp.port)
    wait_for(lambda: sql("SELECT count(*) FROM procrastinate_workers")[0][0] >= 2, timeout=60)
    oldest: list[float] = []
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.is_set():
            oldest.append(queue_summary().oldest_waiting_seconds or 0.0)
            time.sleep(0.5)
        connection.close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    sent, start = 0, time.perf_counter()
    try:
        while time.perf_counter() - start < seconds:
            notification_create(recipient=owner, kind="bench", title=f"Lag {sent}", link="/applications/")
            sent += 1
            time.sleep(max(0.0, start + sent / rate - time.perf_counter()))
        wait_for(lambda: succeeded() >= sent, timeout=120)
    finally:
        stop_sampling.set()
        sampler.join()
        stop(processes)
    lags = [
        row[0] * 1000
        for row in sql(
            "SELECT extract(epoch FROM s.at - d.at) FROM procrastinate_events d "
            "JOIN procrastinate_events s ON s.job_id = d.job_id AND s.type = 'started' WHERE d.type = 'deferred'"
        )
    ]
    print(
        f"   {sent} notifications at {sent / seconds:.0f}/s for {seconds:.0f} s: "
        f"deferred -> started p50 {statistics.median(lags):.0f} ms, p95 {percentile(lags, 0.95):.0f} ms, "
        f"max {max(lags):.0f} ms; /healthz oldest_waiting_seconds max {max(oldest):.2f} s"
    )


def main() -> None:
    from accounts.tests.factories import OwnerFactory
    from tests.servers import free_port
    from tests.smtp import SmtpServer

    print(f"load average at start: {os.getloadavg()}")
    status_change_ab()
    owner = OwnerFactory()
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        print(f"\n2. Emails through `procrastinate worker` to aiosmtpd on loopback ({EMAILS} per run)")
        throughput(owner, smtp, 1)
        best = throughput(owner, smtp, 2)
        print("\n3. Queue lag with 2 workers, notifications arriving at a steady rate")
        lag_under_load(owner, smtp, rate=best * 0.3)
        lag_under_load(owner, smtp, rate=best * 0.6)
    finally:
        smtp.stop()
    print(f"\nload average at end: {os.getloadavg()}")


if __name__ == "__main__":
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_" + connection.settings_dict["NAME"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
