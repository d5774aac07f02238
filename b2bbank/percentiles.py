"""PostgreSQL's percentile_cont as a Django aggregate (Django ships none).

Built on Django's public Aggregate API; `fraction` is a number fixed in code
(never user input), checked here to be between 0 and 1."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate


class PercentileCont(Aggregate):
    """`percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`: the
    interpolated percentile of a number or an interval (PostgreSQL only)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(fraction), **extra)
