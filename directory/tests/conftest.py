"""Directory tests count their matches: PostgreSQL's estimates depend on the
statistics whatever ran before left behind (an ANALYZE's row count outlives
its transaction), so a test asserting a count would pass or fail by order.
`test_estimates.py` tests the estimates themselves (it overrides this)."""

from __future__ import annotations

import pytest

from directory import selectors


@pytest.fixture(autouse=True)
def exact_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "EXACT_COUNT_BELOW", 10**9)
