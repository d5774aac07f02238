"""Chat API: conversations, messages, read markers, websocket tickets."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsBusinessOwner
from authentication.models import ApiToken
from b2bbank.json_input import StrictJSONParser
from chat import attachments, selectors, services
from chat.permissions import CanChat
from documents.api.views import UPLOAD_ERRORS
from documents.files import incoming_file
from idempotency.decorators import IDEMPOTENCY_KEY_PARAMETER, idempotent

from .serializers import (
    ConversationOutput,
    ConversationStartInput,
    MessageOutput,
    MessagePageInput,
    MessagePageOutput,
    MessageSendInput,
    MessageSendWithFileInput,
    ReadInput,
    TicketOutput,
    UnreadOutput,
)


class ConversationListApi(APIView):
    permission_classes = (CanChat,)

    def get_permissions(self) -> Any:
        if self.request.method == "POST":
            return [IsBusinessOwner()]
        return super().get_permissions()

    @extend_schema(responses=ConversationOutput(many=True))
    def get(self, request: Request) -> Response:
        conversations = selectors.conversation_list(user=request.user)
        return Response(ConversationOutput(conversations, many=True, context={"user": request.user}).data)

    @extend_schema(
        request=ConversationStartInput, responses={200: ConversationOutput, 201: ConversationOutput}
    )
    def post(self, request: Request) -> Response:
        data = ConversationStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        conversation, created = services.conversation_start(
            owner=request.user,
            banker_id=fields["banker"],
            message=fields.get("message"),
            client_id=fields.get("client_id", ""),
        )
        conversation = selectors.conversation_list(user=request.user).get(pk=conversation.pk)
        return Response(
            ConversationOutput(conversation, context={"user": request.user}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class UnreadApi(APIView):
    permission_classes = (CanChat,)

    @extend_schema(responses=UnreadOutput)
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_total(user=request.user)})


class MessageListApi(APIView):
    permission_classes = (CanChat,)
    # JSON as everywhere; multipart for a message carrying a file.
    parser_classes = (StrictJSONParser, MultiPartParser)

    @extend_schema(parameters=[MessagePageInput], responses=MessagePageOutput)
    def get(self, request: Request, conversation_id: int) -> Response:
        query = MessagePageInput(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)
        messages, more = selectors.message_page(conversation=conversation, **query.validated_data)
        next_url = None
        if more:
            params = request.query_params.copy()
            params["before"] = str(messages[-1].pk)
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response({"results": MessageOutput(messages, many=True).data, "next": next_url})

    @extend_schema(
        request={"application/json": MessageSendInput, "multipart/form-data": MessageSendWithFileInput},
        responses={201: MessageOutput, 200: MessageOutput, **UPLOAD_ERRORS},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def post(self, request: Request, conversation_id: int) -> Response:
        if request.content_type.startswith("multipart/"):
            return self._post_with_file(request, conversation_id)
        data = MessageSendInput(data=request.data)
        data.is_valid(raise_exception=True)
        message, created = services.message_send(
            sender=request.user,
            conversation_id=conversation_id,
            body=data.validated_data["body"],
            client_id=data.validated_data.get("client_id", ""),
        )
        return Response(
            MessageOutput(message).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    def _post_with_file(self, request: Request, conversation_id: int) -> Response:
        selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # 404 first
        upload = incoming_file(request)
        data = MessageSendWithFileInput(data=request.data)
        data.is_valid(raise_exception=True)
        message, created = attachments.message_send_with_file(
            sender=request.user,
            conversation_id=conversation_id,
            body=data.validated_data["body"].strip(),
            upload=upload,
            client_id=data.validated_data.get("client_id", ""),
        )
        return Response(
            MessageOutput(message).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ReadApi(APIView):
    permission_classes = (CanChat,)

    @extend_schema(request=ReadInput, responses=ConversationOutput)
    def post(self, request: Request, conversation_id: int) -> Response:
        data = ReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.conversation_mark_read(
            user=request.user, conversation_id=conversation_id, message_id=data.validated_data["message"]
        )
        conversation = selectors.conversation_list(user=request.user).get(pk=conversation_id)
        return Response(ConversationOutput(conversation, context={"user": request.user}).data)


class TicketApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={201: TicketOutput})
    def post(self, request: Request) -> Response:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        session_key = (request.session.session_key or "") if token is None else ""
        key, ticket = services.ticket_issue(user=request.user, token=token, session_key=session_key)
        scheme = "wss" if request.is_secure() else "ws"
        url = f"{scheme}://{request.get_host()}/ws/?ticket={key}"
        return Response(
            TicketOutput({"ticket": key, "expires_at": ticket.expires_at, "url": url}).data,
            status=status.HTTP_201_CREATED,
        )
