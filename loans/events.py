"""The shape of the frame loans sends (built by loans.services.common.status_frame);
b2bbank.frames gathers it with every other app's."""

from __future__ import annotations

from typing import Any

_ID = {"type": "integer", "minimum": 1}
_PART = {
    "oneOf": [
        {"type": "null"},
        {
            "type": "object",
            "properties": {"id": _ID, "status": {"type": "string"}},
            "required": ["id", "status"],
            "additionalProperties": False,
        },
    ]
}
FRAME_SCHEMAS: dict[str, dict[str, Any]] = {
    "application.status": {
        "type": "object",
        "properties": {
            "type": {"const": "application.status"},
            "application": _ID,
            "status": {"type": "string", "minLength": 1},
            "track": _PART,
            "offer": _PART,
            "event": {
                "type": "object",
                "properties": {
                    "id": _ID,
                    "actor": {"type": ["integer", "null"]},
                    "from_status": {"type": "string"},
                    "to_status": {"type": "string"},
                    "note": {"type": "string"},
                    "created_at": {"type": "string"},
                },
                "required": ["id", "actor", "from_status", "to_status", "note", "created_at"],
                "additionalProperties": False,
            },
        },
        "required": ["type", "application", "status", "track", "offer", "event"],
        "additionalProperties": False,
    }
}
