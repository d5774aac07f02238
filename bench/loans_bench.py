"""Loans benchmark: service transition cost, the applications API list and the
banker pipeline page, a conflicting-action race, and the offers flow (submit to
five bankers, five offers, accept one; p95 per step at concurrency 1 and 16),
on a throwaway database.

Usage: DATABASE_URL=postgres://... python bench/loans_bench.py [applications]
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
TERMS = {"approved_amount": Decimal("100000"), "interest_rate": Decimal("6.5"), "term_months": 24}


def timed(label: str, call: Callable[[], Any], repeat: int) -> None:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<48} p50 {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   (n={repeat})")


def main() -> None:
    from accounts.tests.factories import BankerFactory, OwnerFactory
    from b2bbank.domain_errors import InvalidTransition
    from loans import services
    from loans.models import Status
    from loans.tests.factories import ApplicationFactory

    banker = BankerFactory(profile__max_loan_amount=None)
    owners = [OwnerFactory() for _ in range(20)]

    # 1. Transitions through the services (lock, validate, event, notification).
    start = time.perf_counter()
    transitions = 0
    for i in range(N):
        owner = owners[i % len(owners)]
        app = services.application_create(
            owner=owner, product="term_loan", amount=Decimal("250000"), term_months=36, purpose="Bench"
        )
        services.application_submit(actor=owner, application_id=app.pk, banker_id=banker.pk)
        services.application_start_review(actor=banker, application_id=app.pk)
        transitions += 2
        if i % 3 == 0:
            services.application_approve(actor=banker, application_id=app.pk, **TERMS)
            transitions += 1
    elapsed = time.perf_counter() - start
    print(
        f"{N} applications, {transitions} transitions in {elapsed:.2f} s: "
        f"{elapsed / transitions * 1000:.2f} ms per transition (incl. create amortised)"
    )

    # 2. Reads.
    api = APIClient()
    api.force_authenticate(banker)
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/applications/")
    assert response.status_code == 200
    print(f"API list (banker, {response.json()['count']} rows, page of 50): {len(queries)} queries")
    timed("GET /api/v1/applications/ (page of 50)", lambda: api.get("/api/v1/applications/"), 60)
    timed(
        "GET /api/v1/applications/?status=approved",
        lambda: api.get("/api/v1/applications/?status=approved"),
        60,
    )
    page = Client()
    page.force_login(banker)
    with CaptureQueriesContext(connection) as queries:
        assert page.get("/pipeline/").status_code == 200
    print(f"Pipeline page ({N} applications): {len(queries)} queries")
    timed("GET /pipeline/", lambda: page.get("/pipeline/"), 30)
    some = ApplicationFactory(owner=owners[0], banker=banker, status=Status.IN_REVIEW)
    for _ in range(10):
        services.application_request_info(actor=banker, application_id=some.pk, note="?")
        services.application_respond(actor=owners[0], application_id=some.pk, note="!")
    timed("GET /applications/<id>/ (20 events, banker)", lambda: page.get(f"/applications/{some.pk}/"), 30)

    # 3. Race: approve vs withdraw on the same row, two connections.
    rounds, wins, waits = 50, {"approve": 0, "withdraw": 0}, []
    for _ in range(rounds):
        app = ApplicationFactory(owner=owners[1], banker=banker, status=Status.IN_REVIEW)
        barrier = threading.Barrier(2)
        result: dict[str, str] = {}

        def run(
            name: str, call: Callable[[], Any], result: dict[str, str] = result, barrier: Any = barrier
        ) -> None:
            barrier.wait()
            t0 = time.perf_counter()
            try:
                call()
                result[name] = "ok"
            except InvalidTransition:
                result[name] = "refused"
            waits.append((time.perf_counter() - t0) * 1000)
            connection.close()

        pk = app.pk
        threads = [
            threading.Thread(
                target=run,
                args=(
                    "approve",
                    lambda pk=pk: services.application_approve(actor=banker, application_id=pk, **TERMS),
                ),
            ),
            threading.Thread(
                target=run,
                args=(
                    "withdraw",
                    lambda pk=pk: services.application_withdraw(actor=owners[1], application_id=pk),
                ),
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(result.values()) == ["ok", "refused"], result
        wins[next(k for k, v in result.items() if v == "ok")] += 1
    print(
        f"Race approve vs withdraw x{rounds}: exactly one winner every time {wins}; "
        f"action latency p50 {statistics.median(waits):.2f} ms, max {max(waits):.2f} ms"
    )

    # 4. Several bankers: submit to five, five offers, accept one.
    offers_flow(int(os.environ.get("BENCH_OFFER_ROUNDS", "3")))


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def _offers_round(owner: Any, bankers: list[Any], samples: dict[str, list[float]]) -> None:
    """One application: submit to five, five offers, accept one; each step
    over the API (test client, no network), timed."""
    clients = {}
    for user in [owner, *bankers]:
        client = APIClient()
        client.force_authenticate(user)
        clients[user.pk] = client
    created = (
        clients[owner.pk]
        .post(
            "/api/v1/applications/",
            {"product": "term_loan", "amount": "250000.00", "term_months": 60, "purpose": "Bench"},
            format="json",
        )
        .json()
    )
    pk = created["id"]

    def step(name: str, user: Any, path: str, body: dict[str, Any]) -> Any:
        start = time.perf_counter()
        response = clients[user.pk].post(f"/api/v1/applications/{pk}/{path}", body, format="json")
        samples[name].append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (name, response.json())
        return response.json()

    step("submit to five", owner, "submit/", {"bankers": [b.pk for b in bankers]})
    for index, banker in enumerate(bankers):
        step("start review", banker, "start-review/", {})
        step("make an offer", banker, "approve/", {**OFFER, "interest_rate": f"{6.5 + index / 4:.3f}"})
    offers = clients[owner.pk].get(f"/api/v1/applications/{pk}/offers/").json()
    step("accept (4 others not selected)", owner, f"offers/{offers[0]['id']}/accept/", {})


OFFER = {"approved_amount": "250000.00", "term_months": 60, "origination_fee": "2500.00"}


def offers_flow(rounds: int) -> None:
    """Submit to five, five offers, accept: p95 per step at concurrency 1
    (`rounds` x 5 flows in a row) and 16 (`rounds` flows per thread)."""
    from accounts.tests.factories import BankerFactory, OwnerFactory

    bankers = [BankerFactory(profile__max_loan_amount=None) for _ in range(5)]
    for concurrency in (1, 16):
        owners = [OwnerFactory() for _ in range(concurrency)]
        samples: dict[str, list[float]] = {
            "submit to five": [],
            "start review": [],
            "make an offer": [],
            "accept (4 others not selected)": [],
        }
        lock = threading.Lock()
        barrier = threading.Barrier(concurrency)
        per_thread = rounds * 5 if concurrency == 1 else rounds

        def worker(
            owner: Any,
            barrier: Any = barrier,
            samples: Any = samples,
            lock: Any = lock,
            per_thread: int = per_thread,
        ) -> None:
            mine: dict[str, list[float]] = {name: [] for name in samples}
            barrier.wait()
            for _ in range(per_thread):
                _offers_round(owner, bankers, mine)
            with lock:
                for name, values in mine.items():
                    samples[name].extend(values)
            connection.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(owner,)) for owner in owners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        flows = concurrency * per_thread
        print(
            f"Offers flow at concurrency {concurrency}: {flows} flows in {elapsed:.1f} s ({flows / elapsed:.1f} flows/s)"
        )
        for name, values in samples.items():
            print(
                f"  {name:<34} p50 {statistics.median(values):7.2f} ms   p95 {_p95(values):7.2f} ms   (n={len(values)})"
            )
    print(
        f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} (2 cores)"
    )


if __name__ == "__main__":
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_" + connection.settings_dict["NAME"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
