"""Machine CPU per uncached search, in-process: what the "every search new" rows cost,
measured in a way a busy machine disturbs far less than wall-clock time.

    DATABASE_URL=... .venv/bin/python bench/directory/cpu.py [ROOT] [ROUNDS] [SEED]

ROOT is a checkout of the code base to measure (default: this one), so two versions
can be compared on the same machine in the same minutes, each against its own
database (`BENCH_LOAD_ONLY=1 python bench/directory/run.py` loads one). It calls
`directory.selectors.banker_search_page` (as the API does: with `use_estimates`
when the version has it) for the 16 "every search new" searches of
bench/directory/queries.py, ROUNDS times (after a warm-up round) with fresh random
amounts, and prints one JSON line per kind: median and p95 wall-clock ms, and the
CPU per search of the PostgreSQL backend (/proc/<pid>/stat) and of this process.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
RNG = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.dev")


def backend_cpu_ms() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def search_params(raw: dict[str, str]) -> Any:
    from django.http import QueryDict

    from directory.filters import BankerSearchForm

    amount = f"{RNG.randint(10000, 1999999)}.{RNG.randint(0, 99):02d}"
    form = BankerSearchForm(
        QueryDict(urlencode({k: amount if v == "__AMOUNT__" else v for k, v in raw.items()}))
    )
    assert form.is_valid(), form.errors
    return form.params()


def measure(searches: list[dict[str, str]]) -> dict[str, float]:
    import inspect

    from directory import selectors

    # As the API asks (an older version without the choice counted always).
    how = (
        {"use_estimates": True}
        if "use_estimates" in inspect.signature(selectors.banker_search_page).parameters
        else {}
    )

    times: list[float] = []
    pg_start = py_start = 0.0
    for number in range(ROUNDS + 1):
        if number == 1:  # the first round warms caches and connections
            pg_start, py_start = backend_cpu_ms(), time.process_time() * 1000
        for raw in searches:
            params = search_params(raw)
            started = time.perf_counter()
            selectors.banker_search_page(params=params, **how)
            if number:
                times.append((time.perf_counter() - started) * 1000)
    pg_ms, py_ms = backend_cpu_ms() - pg_start, time.process_time() * 1000 - py_start
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95)], 2),
        "postgres_cpu_ms": round(pg_ms / len(times), 2),
        "python_cpu_ms": round(py_ms / len(times), 2),
    }


def main() -> None:
    import django

    django.setup()
    from bench.directory.queries import BOTH_UNIQUE, FILTERS_UNIQUE

    print(json.dumps({"filters": measure(FILTERS_UNIQUE), "text + filters": measure(BOTH_UNIQUE)}))


if __name__ == "__main__":
    main()
