"""Query-string values that pages read by hand (forms validate the rest).
str.isdigit() is true for "²" and int() accepts any length, so a hand-parsed
id could be a 500; these parse strictly or give None (the page ignores it)."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}", re.ASCII)  # a bigint primary key, never past 2**63 - 1


def object_id(value: str | None) -> int | None:
    """A primary key from a query parameter, or None when it is not one."""
    if value is None or _ID.fullmatch(value) is None:
        return None
    number = int(value)
    return number if number > 0 else None
