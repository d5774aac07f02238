"""Building blocks for the frame schemas each app declares in its `events.py`
(b2bbank.frames gathers them): a frame or a part of one is a closed object
whose every property is required."""

from __future__ import annotations

from typing import Any

ID: dict[str, Any] = {"type": "integer", "minimum": 1}


def closed_object(properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these properties, all required."""
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }
