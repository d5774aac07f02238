"""What the search cache's misses cost: each "every search new" search at every
amount class, in-process, as the API runs it on a miss (`use_estimates`,
`as_json`), the best of two runs (the first warms PostgreSQL's buffers).

    DATABASE_URL=... .venv/bin/python bench/directory/misses.py [ROOT ...]

With an amount, the cache searches with the class's lowest amount
(`directory.amount_classes`), so a class's first search in a cache period is
one of these. Each ROOT is a checkout of the code base (default: this one),
measured in turn against the same database, in one process each; prints one
JSON line per ROOT: for filters and for text + filters, the median, p90 and
maximum ms over every search and class; and the five slowest.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parents[2]


def measure(root: Path) -> dict[str, Any]:
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.dev")
    import django

    django.setup()
    from django.http import QueryDict

    from bench.directory.queries import BOTH_UNIQUE, FILTERS_UNIQUE, UNIQUE
    from directory import amount_classes, selectors
    from directory.filters import BankerSearchForm

    floors = amount_classes.read_boundaries("bench").values or ()
    timings: list[tuple[float, str]] = []
    for raw in (*FILTERS_UNIQUE, *BOTH_UNIQUE):
        for amount in floors:
            if not 10000 <= amount <= 2000000:
                continue
            query = urlencode({k: str(amount) if v == UNIQUE else v for k, v in raw.items()})
            form = BankerSearchForm(QueryDict(query))
            assert form.is_valid(), form.errors
            best = float("inf")
            for _ in range(2):
                started = time.perf_counter()
                selectors.banker_search_page(params=form.params(), use_estimates=True, as_json=True)
                best = min(best, (time.perf_counter() - started) * 1000)
            timings.append((best, query))
    result: dict[str, Any] = {"root": str(root)}
    for kind, chosen in (
        ("filters", [t for t, q in timings if not q.startswith("q=")]),
        ("text + filters", [t for t, q in timings if q.startswith("q=")]),
    ):
        ms = sorted(chosen)
        result[kind] = {
            "searches": len(ms),
            "median_ms": round(statistics.median(ms), 2),
            "p90_ms": round(ms[int(len(ms) * 0.9)], 2),
            "max_ms": round(ms[-1], 2),
        }
    result["slowest"] = [(round(t, 1), q) for t, q in sorted(timings, reverse=True)[:5]]
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(measure(Path(sys.argv[2]).resolve())))
        return
    for root in sys.argv[1:] or [str(HERE)]:
        # One process per checkout: each imports its own code.
        subprocess.run([sys.executable, __file__, "--one", root], check=True, cwd=HERE)


if __name__ == "__main__":
    main()
