from __future__ import annotations

from typing import Any

import pytest

from b2bbank import realtime


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[int], dict[str, Any]]]:
    """Every event handed to the channel layer, as (sorted user ids, frame)."""
    sent: list[tuple[list[int], dict[str, Any]]] = []
    monkeypatch.setattr(
        realtime, "publish", lambda user_ids, event: sent.append((sorted(set(user_ids)), event))
    )
    monkeypatch.setattr(
        realtime,
        "publish_all",
        lambda items: sent.extend((sorted(set(user_ids)), event) for user_ids, event in items),
    )
    return sent


@pytest.fixture
def conversation(owner_a: Any, banker_x: Any) -> Any:
    from chat.tests.factories import ConversationFactory

    return ConversationFactory(owner=owner_a, banker=banker_x)
