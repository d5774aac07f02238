"""The notifications API: the unread count the navigation badge refreshes
when a frame says something happened (static/js/realtime.js)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.selectors import unread_count


class NotificationUnreadOutput(serializers.Serializer):
    unread = serializers.IntegerField(min_value=0)


class NotificationUnreadApi(APIView):
    """How many of the signed-in user's notifications are unread."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=NotificationUnreadOutput)
    def get(self, request: Request) -> Response:
        return Response({"unread": unread_count(user=request.user)})
