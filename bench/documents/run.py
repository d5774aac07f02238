"""Documents upload benchmark: 20 concurrent 10 MB uploads through the real
upload view (bearer token, sniffing, sha256, storage, row, timeline, audit,
notification, frame) next to a bare Django view that only streams the same
bytes to disk, on the same gunicorn server in the same run, alternating.
Reports MB/s per round and the server's RSS growth (sum over its processes).

Usage: DATABASE_URL=postgres://... python -m bench.documents.run [rounds]
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CONCURRENCY = 20
SIZE = 10 * 1024 * 1024
BOUNDARY = "benchboundary7d41"


def setup_database() -> tuple[str, str, int]:
    """Migrate the DATABASE_URL database; an owner, a banker, one application."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.tests.factories import PASSWORD, BankerFactory, OwnerFactory
    from loans.models import Status
    from loans.tests.factories import ApplicationFactory

    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    owner = OwnerFactory(email=f"bench.docs.{stamp}@example.com")
    banker = BankerFactory(email=f"bench.docs.banker.{stamp}@example.com")
    application = ApplicationFactory(owner=owner, banker=banker, status=Status.IN_REVIEW)
    return owner.email, PASSWORD, application.pk


def body(fields: dict[str, str]) -> bytes:
    """One multipart body: the fields, then a 10 MB PDF-looking file."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    head = "".join(parts) + (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="statement.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    payload = b"%PDF-1.7\n" + os.urandom(SIZE - 16) + b"\n%%EOF\n"
    return head.encode() + payload + f"\r\n--{BOUNDARY}--\r\n".encode()


def post(port: int, path: str, data: bytes, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request(
        "POST",
        path,
        body=data,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **headers},
    )
    status = connection.getresponse().status
    connection.close()
    return status


def token(port: int, email: str, password: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/api/v1/auth/token/",
        body=json.dumps({"email": email, "password": password}),
        headers={"Content-Type": "application/json"},
    )
    return str(json.loads(connection.getresponse().read())["token"])


class RssSampler(threading.Thread):
    """Peak resident memory of the server (master and workers) while running."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.running = True

    def current(self) -> int:
        processes = [self.process, *self.process.children(recursive=True)]
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.current())
            time.sleep(0.02)


def burst(port: int, path: str, data: bytes, headers: dict[str, str]) -> tuple[float, list[int]]:
    statuses: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        status = post(port, path, data, headers)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one) for _ in range(CONCURRENCY)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, statuses


def main() -> None:
    from tests.servers import free_port, wait_for_port

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    email, password, application_id = setup_database()
    work = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    (work / "documents").mkdir()
    (work / "bare").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.documents.settings",
        "BENCH_DOCUMENT_ROOT": str(work / "documents"),
        "BENCH_BARE_ROOT": str(work / "bare"),
        "TMPDIR": str(work),
        # As docs/deploy.md recommends for threaded workers: glibc's per-thread
        # malloc arenas otherwise keep ~65 MB more resident after 20 parallel
        # uploads, for the bare view as much as for the real one.
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--threads",
            "10",
            "--worker-class",
            "gthread",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "b2bbank.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port, server)
        bearer = {"Authorization": f"Bearer {token(port, email, password)}"}
        real_path = f"/api/v1/applications/{application_id}/documents/"
        real_body = body({"kind": "bank_statements"})
        bare_body = body({})
        # Warm both paths (imports, connections) before measuring.
        post(port, real_path, real_body, bearer)
        post(port, "/bench/bare-upload/", bare_body, {})
        sampler = RssSampler(server.pid)
        baseline = sampler.current()
        sampler.start()
        results: dict[str, list[float]] = {"bare": [], "real": []}
        peaks: dict[str, int] = {"bare": baseline, "real": baseline}
        load_before = os.getloadavg()
        for number in range(rounds):
            order = ("bare", "real") if number % 2 == 0 else ("real", "bare")
            for name in order:
                path, data, headers = (
                    ("/bench/bare-upload/", bare_body, {})
                    if name == "bare"
                    else (real_path, real_body, bearer)
                )
                sampler.peak = sampler.current()
                elapsed, statuses = burst(port, path, data, headers)
                peaks[name] = max(peaks[name], sampler.peak)
                assert statuses == [201] * CONCURRENCY, statuses
                results[name].append(CONCURRENCY * SIZE / (1024 * 1024) / elapsed)
                print(f"round {number + 1} {name:<4}: {results[name][-1]:7.1f} MB/s ({elapsed:.2f} s)")
        sampler.running = False
        sampler.join()
        load_after = os.getloadavg()
        bare, real = statistics.median(results["bare"]), statistics.median(results["real"])
        print()
        print(
            f"{CONCURRENCY} concurrent {SIZE // (1024 * 1024)} MB uploads, {rounds} rounds each, median MB/s"
        )
        print("| view | MB/s (median) | rounds |\n| --- | --- | --- |")
        print(
            f"| bare Django, streams to disk | {bare:.1f} | {', '.join(f'{v:.1f}' for v in results['bare'])} |"
        )
        print(f"| documents upload (real) | {real:.1f} | {', '.join(f'{v:.1f}' for v in results['real'])} |")
        print(f"real / bare: {real / bare * 100:.1f}% (goal >= 70%)")
        for name in ("bare", "real"):
            growth = (peaks[name] - baseline) / (1024 * 1024)
            print(
                f"server RSS during the {name} rounds: peak {peaks[name] / 1048576:.0f} MB, "
                f"{growth:+.1f} MB over {baseline / 1048576:.0f} MB after warm-up (goal < 50 MB)"
            )
        print(
            f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores, shared machine)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
