"""The hand-written fast path for `message.send` frames accepts exactly what
MessageSendFrame accepts, with the same result, and leaves everything else
to the serializer (so errors keep the serializer's wording)."""

from __future__ import annotations

from typing import Any

import pytest

from chat.api.serializers import MessageSendFrame, message_send_frame_fast

BASE = {"type": "message.send", "conversation": 7, "body": "Hello", "client_id": "c-1"}
FRAMES = [
    BASE,
    {**BASE, "body": "  padded  ", "client_id": "  id  "},
    {k: v for k, v in BASE.items() if k != "client_id"},
    {**BASE, "body": "x" * 5000},
    {**BASE, "body": " " + "x" * 5000 + " "},
    {**BASE, "body": "x" * 5001},
    {**BASE, "body": ""},
    {**BASE, "body": "   "},
    {**BASE, "body": "nul\x00"},
    {**BASE, "body": "caf\u00e9"},
    {**BASE, "body": "lone \ud800"},
    {**BASE, "body": 12},
    {**BASE, "body": None},
    {**BASE, "body": True},
    {**BASE, "client_id": ""},
    {**BASE, "client_id": " "},
    {**BASE, "client_id": "k" * 64},
    {**BASE, "client_id": "k" * 65},
    {**BASE, "client_id": 5},
    {**BASE, "client_id": None},
    {**BASE, "conversation": 0},
    {**BASE, "conversation": -3},
    {**BASE, "conversation": "7"},
    {**BASE, "conversation": 7.0},
    {**BASE, "conversation": True},
    {**BASE, "conversation": None},
    {k: v for k, v in BASE.items() if k != "conversation"},
    {k: v for k, v in BASE.items() if k != "body"},
    {**BASE, "role": "admin"},
]


@pytest.mark.parametrize("frame", FRAMES, ids=range(len(FRAMES)))
def test_fast_path_agrees_with_the_serializer(frame: dict[str, Any]) -> None:
    fast = message_send_frame_fast(frame)
    serializer = MessageSendFrame(data=frame)
    valid = serializer.is_valid()
    if fast is not None:
        assert valid, "the fast path accepted a frame the serializer refuses"
        assert fast == dict(serializer.validated_data)
    # fast is None: the consumer asks the serializer, whatever it says goes.


def test_fast_path_takes_the_common_frames() -> None:
    assert message_send_frame_fast(BASE) == BASE
    assert message_send_frame_fast({**BASE, "body": " hi "}) == {**BASE, "body": "hi"}
