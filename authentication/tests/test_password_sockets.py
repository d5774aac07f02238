"""A new password closes the user's websockets (accounts.signals.credentials_changed)."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import RequestFactory

from authentication.recovery import credentials_changed
from chat.consumers import LOGGED_OUT
from chat.tests.test_consumers import Sockets, run, socket_for, with_sockets

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_password_closes_the_users_sockets_and_no_one_elses(owner_a: Any, banker_x: Any) -> None:
    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        banker = await sockets.connect(await socket_for(banker_x))
        await database_sync_to_async(credentials_changed)(
            user=owner_a, request=RequestFactory().post("/"), how="change"
        )
        assert await owner.receive_output() == {"type": "websocket.close", "code": LOGGED_OUT}
        assert await banker.receive_nothing()

    run(with_sockets, scenario)
