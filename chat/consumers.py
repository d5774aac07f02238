"""The one websocket per browser tab."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from b2bbank.realtime import user_group

UNAUTHENTICATED = 4401


class RealtimeConsumer(AsyncJsonWebsocketConsumer):
    """Joins the signed-in user's group and forwards the events services publish
    (b2bbank.realtime). Client frames are answered by the chat issue's handlers;
    until then every frame gets an `error` frame and the socket stays open."""

    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json(
            {"type": "error", "code": "unsupported", "detail": "This frame type is not supported yet."}
        )

    async def realtime_event(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])
