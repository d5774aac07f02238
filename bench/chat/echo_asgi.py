"""Bench-only: a Channels echo consumer served by Daphne, the baseline for what
Channels itself costs (no channel layer, no database, no auth)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.chat.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = "bench-no-layer"  # not configured: no layer at all

    async def receive(self, text_data=None, bytes_data=None):  # type: ignore[no-untyped-def]
        await self.send(text_data=text_data, bytes_data=bytes_data)


application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/", EchoConsumer.as_asgi())])})
