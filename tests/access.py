"""The shape of the route access matrix.

Each app declares, in `<app>/tests/access.py`, a `ROUTES` dict from route name
(`namespace:name`) to a list of `Case`s, and optionally `seed(world)` to create
the objects its routes need (owner A's application, and so on). The matrix test
(tests/test_access_matrix.py) fails when a URL pattern has no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANON_PAGE = "login"  # anonymous on a page: redirect to the login page
ANON_API = 401

Expectation = int | str


@dataclass(frozen=True)
class Case:
    """One request to a route and the outcome expected for each actor.

    `expect` maps actor -> HTTP status, or ANON_PAGE for a login redirect.
    `kwargs` builds the URL kwargs from the world; `data` the request body.
    """

    method: str
    expect: dict[str, Expectation]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    data: Callable[[Any], Any] | None = None
    api: bool = False
    note: str = ""


def same(
    status: Expectation, *, anonymous: Expectation | None = None, **overrides: Expectation
) -> dict[str, Expectation]:
    """Every actor gets `status` except the overrides."""
    from conftest import ACTORS

    expect = dict.fromkeys(ACTORS, status)
    if anonymous is not None:
        expect["anonymous"] = anonymous
    expect.update(overrides)
    return expect
