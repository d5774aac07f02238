"""Display names for uploaded files: what the user called it, made harmless."""

from __future__ import annotations

import unicodedata

from .models import NAME_MAX

FALLBACK = "document"
SUFFIX_MAX = 16


def display_name(raw: str | None) -> str:
    """The last path segment (either separator), NFC, without control, format
    (bidi overrides, zero-width) or null characters, without leading dots or
    surrounding spaces, at most NAME_MAX characters keeping the extension."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if c.isspace() else c for c in name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = " ".join(name.split()).lstrip(". ").rstrip(" ")
    if not name:
        return FALLBACK
    if len(name) > NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and 0 < len(suffix) <= SUFFIX_MAX:
            name = f"{stem[: NAME_MAX - len(suffix) - 1]}.{suffix}"
        else:
            name = name[:NAME_MAX]
    return name
