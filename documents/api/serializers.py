"""Input and output shapes for the documents API (DESIGN.md, Documents)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from b2bbank.strict_input import StrictInput
from documents.events import document_payload, request_payload
from documents.models import NOTE_MAX, Document, DocumentRequest, DocumentStatus, Kind, RequestStatus
from documents.services import Decision


class DocumentUploadInput(StrictInput):
    # The file itself is read by documents.files (size, emptiness and type are
    # checked there, with 413 and 415 answers a serializer cannot give).
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    kind = serializers.ChoiceField(choices=Kind.choices)
    request = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class ReviewInput(StrictInput):
    decision = serializers.ChoiceField(choices=[(c, c) for c in Decision.CHOICES])
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class RequestCreateInput(StrictInput):
    kind = serializers.ChoiceField(choices=Kind.choices)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True)


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField(help_text="Sniffed from the bytes, never taken from the client.")
    sha256 = serializers.CharField()
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    review_note = serializers.CharField()
    request = serializers.IntegerField(allow_null=True)
    uploaded_by = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Document) -> dict[str, Any]:
        return document_payload(instance)


class RequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    note = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    requested_by = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def to_representation(self, instance: DocumentRequest) -> dict[str, Any]:
        return request_payload(instance)
