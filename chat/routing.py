"""Websocket routes (the gateway in b2bbank/asgi.py sends /ws/ here)."""

from django.urls import path

from .consumers import RealtimeConsumer

websocket_urlpatterns = [path("ws/", RealtimeConsumer.as_asgi(), name="realtime")]
