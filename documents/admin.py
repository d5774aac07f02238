"""Admin: documents, requests and chat attachments, read-only. The admin shows
what was checked about a file (who, when, sha256, type, status), never its
contents: there is no link to the bytes and nothing renders them inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ChatAttachment, Document, DocumentRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows change only through documents.services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "application", "uploaded_by", "created_at", "status", "size", "sha256")
    list_filter = ("status", "kind", "content_type")
    search_fields = ("name", "sha256", "uploaded_by__email")
    list_select_related = ("application", "uploaded_by")
    fields = (
        "application",
        "kind",
        "name",
        "content_type",
        "size",
        "sha256",
        "status",
        "review_note",
        "reviewed_by",
        "reviewed_at",
        "request",
        "uploaded_by",
        "created_at",
    )
    readonly_fields = fields


@admin.register(DocumentRequest)
class DocumentRequestAdmin(ReadOnlyAdmin):
    list_display = ("kind", "application", "requested_by", "status", "due_date", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("application", "requested_by")
    fields = ("application", "requested_by", "kind", "note", "due_date", "status", "created_at")
    readonly_fields = fields


@admin.register(ChatAttachment)
class ChatAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "conversation", "uploaded_by", "created_at", "content_type", "size", "sha256")
    list_select_related = ("uploaded_by",)
    fields = ("conversation", "name", "content_type", "size", "sha256", "uploaded_by", "created_at")
    readonly_fields = fields
