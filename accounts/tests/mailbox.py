"""Reading the links out of sent emails, as a user (or the browser tests) would."""

from __future__ import annotations

import re
from urllib.parse import unquote

LINK = re.compile(r"https?://\S+")


def links_in(body: str) -> list[str]:
    return LINK.findall(body)


def only_key(body: str) -> str:
    """The key an email carries: the last path segment of its one link."""
    (link,) = links_in(body)
    return unquote(link.rstrip("/").rsplit("/", 1)[1])
