"""The accessibility gate: axe-core (installed from the npm registry by
`make axe`, which `make test` runs) injected into a page, failing on any
critical or serious violation."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


@cache
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make axe` (make test does)")
    return AXE.read_text()


def axe_violations(page: Any) -> list[str]:
    """Run axe on the page as it is now; one line per blocking violation and node.
    The source is evaluated through the DevTools protocol, so the page's
    Content-Security-Policy (which refuses inline scripts) stays on."""
    page.evaluate(f"() => {{ {axe_source()}\n; window.__axe = axe; }}")
    result = page.evaluate(
        "() => window.__axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [
        f"{v['impact']}: {v['id']} at {node}"
        for v in result
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


def assert_accessible(page: Any, label: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{label}: {problems}"
