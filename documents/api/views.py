"""Documents API: list/upload per application, one document, its download, its
review and deletion, and the banker's requests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsBanker, IsBusinessOwner
from b2bbank.json_input import StrictJSONParser
from b2bbank.openapi import ERROR
from chat.permissions import CanChat
from documents import selectors, services, sniffing
from documents.files import file_response, incoming_file
from loans.permissions import IsOwnerOrBanker

from .serializers import DocumentOutput, DocumentUploadInput, RequestCreateInput, RequestOutput, ReviewInput

UPLOAD_ERRORS = {
    413: OpenApiResponse(ERROR, description="The file is over the size limit; nothing was stored."),
    415: OpenApiResponse(
        ERROR, description="The file's bytes are not an accepted format; nothing was stored."
    ),
}
DOWNLOAD = {(200, content_type): OpenApiTypes.BINARY for content_type in sorted(sniffing.ALLOWED)}


class ApplicationDocumentsApi(APIView):
    """GET: the application's documents, newest first. POST (the owner):
    multipart `file`, `kind`, optional `request` -> 201 the document."""

    permission_classes = (IsOwnerOrBanker,)
    parser_classes = (MultiPartParser,)

    def get_permissions(self) -> Sequence[Any]:
        return [IsBusinessOwner()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(responses=DocumentOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_for_documents(user=request.user, application_id=pk)
        return Response(DocumentOutput(selectors.documents_of(application=application), many=True).data)

    @extend_schema(request=DocumentUploadInput, responses={201: DocumentOutput, **UPLOAD_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        selectors.application_for_documents(user=request.user, application_id=pk)  # 404 first
        upload = incoming_file(request)
        data = DocumentUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_upload(
            actor=request.user,
            application_id=pk,
            kind=data.validated_data["kind"],
            upload=upload,
            request_id=data.validated_data.get("request"),
        )
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailApi(APIView):
    """GET one document; DELETE (the owner, while nobody has reviewed it)."""

    permission_classes = (IsOwnerOrBanker,)

    def get_permissions(self) -> Sequence[Any]:
        return [IsBusinessOwner()] if self.request.method == "DELETE" else super().get_permissions()

    @extend_schema(responses=DocumentOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(DocumentOutput(selectors.document_for(user=request.user, document_id=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.document_delete(actor=request.user, document_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


INLINE_PARAMETER = OpenApiParameter(
    "disposition",
    enum=["attachment", "inline"],
    required=False,
    description="`inline` opens a PDF or image in the browser (sandboxed); anything else downloads.",
)


def _download(request: Request, stored: Any) -> FileResponse:
    """A stored file (a document or a chat attachment) as its download, or
    inline when `disposition=inline` asks for it."""
    return file_response(
        key=stored.storage_key,
        name=stored.name,
        content_type=stored.content_type,
        inline=request.query_params.get("disposition") == "inline",
    )


class DocumentDownloadApi(APIView):
    """The file, as an attachment with its sanitised name, `nosniff`, never cached."""

    permission_classes = (IsOwnerOrBanker,)

    @extend_schema(parameters=[INLINE_PARAMETER], responses=DOWNLOAD)
    def get(self, request: Request, pk: int) -> FileResponse:
        return _download(request, selectors.document_for(user=request.user, document_id=pk))


class DocumentReviewApi(APIView):
    """The banker the application was sent to accepts or rejects a document."""

    permission_classes = (IsBanker,)
    parser_classes = (StrictJSONParser,)

    @extend_schema(request=ReviewInput, responses=DocumentOutput)
    def post(self, request: Request, pk: int) -> Response:
        selectors.document_for(user=request.user, document_id=pk)
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_review(actor=request.user, document_id=pk, **data.validated_data)
        return Response(DocumentOutput(document).data)


class ApplicationDocumentRequestsApi(APIView):
    """GET: the requests on an application (a banker sees only their own).
    POST (the banker): {kind, note, due_date?} -> 201."""

    permission_classes = (IsOwnerOrBanker,)

    def get_permissions(self) -> Sequence[Any]:
        return [IsBanker()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(responses=RequestOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_for_documents(user=request.user, application_id=pk)
        requests = selectors.requests_of(user=request.user, application=application)
        return Response(RequestOutput(requests, many=True).data)

    @extend_schema(request=RequestCreateInput, responses={201: RequestOutput})
    def post(self, request: Request, pk: int) -> Response:
        selectors.application_for_documents(user=request.user, application_id=pk)
        data = RequestCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.document_request_create(
            actor=request.user, application_id=pk, **data.validated_data
        )
        return Response(RequestOutput(created).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadApi(APIView):
    """A chat attachment, for the conversation's two participants."""

    permission_classes = (CanChat,)

    @extend_schema(parameters=[INLINE_PARAMETER], responses=DOWNLOAD)
    def get(self, request: Request, pk: int) -> FileResponse:
        return _download(request, selectors.attachment_for(user=request.user, attachment_id=pk))
