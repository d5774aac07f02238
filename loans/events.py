"""The shape of the frame loans sends (built by loans.services.common.status_frame);
b2bbank.frames gathers it with every other app's."""

from __future__ import annotations

from typing import Any

from b2bbank.frame_schema import ID, closed_object

_PART = {"oneOf": [{"type": "null"}, closed_object({"id": ID, "status": {"type": "string"}})]}
FRAME_SCHEMAS: dict[str, dict[str, Any]] = {
    "application.status": closed_object(
        {
            "type": {"const": "application.status"},
            "application": ID,
            "status": {"type": "string", "minLength": 1},
            "track": _PART,
            "offer": _PART,
            "event": closed_object(
                {
                    "id": ID,
                    "actor": {"type": ["integer", "null"]},
                    "from_status": {"type": "string"},
                    "to_status": {"type": "string"},
                    "note": {"type": "string"},
                    "created_at": {"type": "string"},
                }
            ),
        }
    )
}
