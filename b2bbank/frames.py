"""Every websocket frame the server sends, by type: the schema registry (as
Zulip's event_schema). Each app describes its own frames beside the code that
builds them (`<app>/events.py`); this module gathers them, so there is one
answer to "what can a socket receive?".

The consumer builds its own frames (`error`) and recognises `session.closed`
through chat.events; the tests check each frame, as a socket receives it, with
`check_frame`. The envelope
that carries a frame through the channel layer is b2bbank.realtime.envelope.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from chat.events import FRAME_SCHEMAS as CHAT_FRAMES
from documents.events import FRAME_SCHEMAS as DOCUMENT_FRAMES
from loans.events import FRAME_SCHEMAS as LOAN_FRAMES


def _merged(*registries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for registry in registries:
        clash = merged.keys() & registry.keys()
        if clash:
            raise ImproperlyConfiguredFrames(f"frame types declared twice: {sorted(clash)}")
        merged.update(registry)
    return merged


class ImproperlyConfiguredFrames(Exception):
    """Two apps declared the same frame type."""


FRAME_SCHEMAS: dict[str, dict[str, Any]] = _merged(CHAT_FRAMES, DOCUMENT_FRAMES, LOAN_FRAMES)


def check_frame(frame: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError unless `frame` matches its type's schema
    (and KeyError for a type that has none)."""
    jsonschema.validate(frame, FRAME_SCHEMAS[frame["type"]])
