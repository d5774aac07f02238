"""How values read on every surface (pages, emails, notifications): one money
format and one rule for which text becomes a link.

The link rule is the one static/js/chat.js applies to live messages: only
http(s) addresses, trailing punctuation left outside the link, every link
opening without the page as its opener and without passing ranking credit.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

LINK_REL = "noopener noreferrer nofollow"
# The same pattern as LINK_PATTERN in static/js/chat.js.
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def format_money(value: Decimal | int | float | None, *, places: int = 2) -> str:
    """'$400,000.00' for USD; other currencies read '400,000.00 EUR'."""
    if value is None:
        return "—"
    amount = f"{Decimal(value):,.{places}f}"
    currency = settings.PLATFORM_CURRENCY
    if currency == "USD":
        return f"-${amount[1:]}" if amount.startswith("-") else f"${amount}"
    return f"{amount} {currency}"


def excerpt(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis
    (a single word longer than the limit is cut inside it)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def waiting_for(since: datetime, now: datetime | None = None) -> str:
    """ "3 minutes", "2 days": how long something has waited."""
    elapsed = (now or timezone.now()) - since
    if elapsed < timedelta(minutes=1):
        return "under a minute"
    return timesince(since, now, depth=1)


def _split_trailing(url: str) -> tuple[str, str]:
    cut = len(url)
    while cut and url[cut - 1] in _TRAILING:
        cut -= 1
    return url[:cut], url[cut:]


def linkify(text: str) -> SafeString:
    """User text as HTML: escaped, line breaks kept, http(s) addresses linked."""
    parts: list[str] = []
    last = 0
    for match in _LINK.finditer(text):
        url, tail = _split_trailing(match.group(0))
        if url.lower() in ("http://", "https://"):
            continue
        parts.append(escape(text[last : match.start()]))
        parts.append(f'<a href="{escape(url)}" rel="{LINK_REL}">{escape(url)}</a>{escape(tail)}')
        last = match.end()
    parts.append(escape(text[last:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 - every piece of user text above is escaped
