"""docs/security.md cites the tests that prove each control; a renamed or
deleted test must not leave the document claiming a proof that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "security.md").read_text()


def cited() -> list[tuple[str, str | None]]:
    """(file, test name or prefix) pairs; `::name` reuses the last file named."""
    pairs: list[tuple[str, str | None]] = []
    last_file = ""
    for ref in re.findall(r"`([^`]+)`", DOC):
        match = re.fullmatch(r"((?:[\w*]+/)+[\w*]+\.py)?(?:::(\w+\*?))?", ref)
        if not match or not (match.group(1) or match.group(2)):
            continue
        path, name = match.group(1), match.group(2)
        if path:
            last_file = path
        if path and "tests" not in path:
            continue
        pairs.append((path or last_file, name))
    return pairs


def test_every_cited_test_exists() -> None:
    refs = cited()
    assert len(refs) > 30
    missing = []
    for path, name in refs:
        files = sorted(ROOT.glob(path))
        if not files:
            missing.append(path)
            continue
        if name:
            prefix = name.rstrip("*")
            pattern = rf"def {prefix}\w*\(" if name.endswith("*") else rf"def {name}\("
            if not any(re.search(pattern, f.read_text()) for f in files):
                missing.append(f"{path}::{name}")
    assert missing == []
