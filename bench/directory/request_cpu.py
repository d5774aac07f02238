"""Machine CPU per uncached API search, in-process, through the whole stack the
server runs (middleware, DRF, the throttle's and the cache's Redis round trips,
the search, the JSON), next to the hello view: what separates an "every search
new" row from hello, measured in a way a busy machine disturbs far less than
wrk's wall-clock rates.

    BENCH_DATABASE_URL=... BENCH_REDIS_URL=... .venv/bin/python bench/directory/request_cpu.py [ROOT] [REQUESTS]

ROOT is a checkout to measure (default: this one); the database is one that
`BENCH_LOAD_ONLY=1 python bench/directory/run.py` loaded (it has the searching
owner). The Redis database is flushed first. The owner is signed in with
`force_authenticate` (a remembered token costs no query either). Prints one JSON
line: per request, this process's CPU and the PostgreSQL backend's, for hello
and for each "every search new" kind.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
REQUESTS = int(sys.argv[2]) if len(sys.argv) > 2 else 300
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
import bench.directory.run  # noqa: E402, F401 - the server's environment (settings, database, Redis)


def measure(client: Any, paths: list[str], rng: random.Random, backend_cpu_ms: Any) -> dict[str, float]:
    def one() -> None:
        amount = f"{rng.randint(10000, 1999999)}.{rng.randint(0, 99):02d}"
        response = client.get(rng.choice(paths).replace("__AMOUNT__", amount), HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code

    for _ in range(30):  # warm-up
        one()
    pg, py = backend_cpu_ms(), time.process_time()
    for _ in range(REQUESTS):
        one()
    return {
        "python_cpu_ms": round((time.process_time() - py) * 1000 / REQUESTS, 3),
        "postgres_cpu_ms": round((backend_cpu_ms() - pg) / REQUESTS, 3),
    }


def main() -> None:
    import django

    django.setup()
    import redis
    from rest_framework.test import APIClient

    from accounts.models import User
    from bench.directory.cpu import backend_cpu_ms
    from bench.directory.queries import KINDS

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    client = APIClient(SERVER_NAME="127.0.0.1")
    client.force_authenticate(User.objects.get(email="bench.owner@example.com"))
    rng = random.Random(int(time.time()))
    kinds = [kind for kind in KINDS if kind.startswith("hello") or "every search new" in kind]
    print(json.dumps({kind: measure(client, KINDS[kind], rng, backend_cpu_ms) for kind in kinds}))


if __name__ == "__main__":
    main()
