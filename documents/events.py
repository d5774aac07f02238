"""The frames documents services publish (one place builds each shape; the
frame schema test checks every sent frame against FRAME_SCHEMAS)."""

from __future__ import annotations

from typing import Any

from b2bbank.frame_schema import ID, closed_object

from .models import Document, DocumentRequest


def _when(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def document_payload(document: Document) -> dict[str, Any]:
    """The API's document shape (documents.api.serializers.DocumentOutput)."""
    return {
        "id": document.pk,
        "application": document.application_id,
        "kind": document.kind,
        "name": document.name,
        "size": document.size,
        "content_type": document.content_type,
        "sha256": document.sha256,
        "status": document.status,
        "review_note": document.review_note,
        "request": document.request_id,
        "uploaded_by": document.uploaded_by_id,
        "created_at": _when(document.created_at),
        "reviewed_at": _when(document.reviewed_at),
    }


def request_payload(request: DocumentRequest) -> dict[str, Any]:
    """The API's request shape (documents.api.serializers.RequestOutput)."""
    return {
        "id": request.pk,
        "application": request.application_id,
        "kind": request.kind,
        "note": request.note,
        "due_date": request.due_date.isoformat() if request.due_date else None,
        "status": request.status,
        "requested_by": request.requested_by_id,
        "created_at": _when(request.created_at),
    }


def document_new(document: Document) -> dict[str, Any]:
    return {
        "type": "document.new",
        "application": document.application_id,
        "document": document_payload(document),
    }


def document_reviewed(document: Document) -> dict[str, Any]:
    return {
        "type": "document.reviewed",
        "application": document.application_id,
        "document": document_payload(document),
    }


def document_request_new(request: DocumentRequest) -> dict[str, Any]:
    return {
        "type": "document_request.new",
        "application": request.application_id,
        "request": request_payload(request),
    }


_TEXT = {"type": "string"}
_WHEN = {"type": ["string", "null"], "format": "date-time"}
DOCUMENT_SCHEMA = closed_object(
    {
        "id": ID,
        "application": ID,
        "kind": _TEXT,
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "size": {"type": "integer", "minimum": 1},
        "content_type": _TEXT,
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "status": {"enum": ["received", "accepted", "rejected"]},
        "review_note": _TEXT,
        "request": {"type": ["integer", "null"]},
        "uploaded_by": ID,
        "created_at": _WHEN,
        "reviewed_at": _WHEN,
    }
)
REQUEST_SCHEMA = closed_object(
    {
        "id": ID,
        "application": ID,
        "kind": _TEXT,
        "note": _TEXT,
        "due_date": {"type": ["string", "null"]},
        "status": {"enum": ["open", "fulfilled", "accepted", "cancelled"]},
        "requested_by": ID,
        "created_at": _WHEN,
    }
)
FRAME_SCHEMAS: dict[str, dict[str, Any]] = {
    "document.new": closed_object(
        {"type": {"const": "document.new"}, "application": ID, "document": DOCUMENT_SCHEMA}
    ),
    "document.reviewed": closed_object(
        {"type": {"const": "document.reviewed"}, "application": ID, "document": DOCUMENT_SCHEMA}
    ),
    "document_request.new": closed_object(
        {"type": {"const": "document_request.new"}, "application": ID, "request": REQUEST_SCHEMA}
    ),
}
