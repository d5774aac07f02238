from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def conversation(owner_a: Any, banker_x: Any) -> Any:
    from chat.tests.factories import ConversationFactory

    return ConversationFactory(owner=owner_a, banker=banker_x)
