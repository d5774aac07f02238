"""Loans benchmark: service transition cost, the applications API list and the
banker pipeline page, and a conflicting-action race, on a throwaway database.

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


if __name__ == "__main__":
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_" + connection.settings_dict["NAME"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
