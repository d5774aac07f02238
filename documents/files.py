"""Checking and storing uploaded files, and answering downloads: one place for
documents and chat attachments alike."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse

from b2bbank.domain_errors import TooLarge, UnsupportedType

from . import sniffing
from .names import display_name
from .uploads import ENVELOPE_BYTES, max_bytes, upload_too_large

logger = logging.getLogger(__name__)
ACCEPTED_LABEL = "PDF, PNG, JPEG, CSV, Excel (XLSX) or Word (DOCX)"


def document_storage() -> Storage:
    return storages["documents"]


def too_large_message() -> str:
    return f"The file is larger than {max_bytes() // (1024 * 1024)} MB."


def incoming_file(request: Any, field: str = "file") -> UploadedFile | None:
    """The request's uploaded file, or TooLarge when its body was (or would be)
    cut off by the upload handler. Checking Content-Length first means an API
    client's oversized body is refused before a byte of it is read."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if (declared.isdigit() and int(declared) > max_bytes() + ENVELOPE_BYTES) or upload_too_large(request):
        raise TooLarge(too_large_message())
    files = request.FILES
    if upload_too_large(request):
        raise TooLarge(too_large_message())
    return files.get(field)


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose bytes were found acceptable."""

    upload: UploadedFile
    name: str
    size: int
    content_type: str
    sha256: str


def _sha256(upload: UploadedFile) -> str:
    known = getattr(upload, "sha256", None)  # documents.uploads computed it while streaming
    if known:
        return str(known)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload(upload: UploadedFile | None) -> CheckedFile:
    """Refuse a missing or empty file (400), one over the limit (413) and one
    whose bytes are not an accepted format (415), whatever its name or the
    type the client claimed."""
    if upload is None:
        raise ValidationError({"file": ["Choose a file to upload."]})
    if not upload.size:
        raise ValidationError({"file": ["The file is empty."]})
    if upload.size > max_bytes():
        raise TooLarge(too_large_message())
    content_type = sniffing.sniff(upload)
    if content_type is None:
        raise UnsupportedType(f"This file type is not accepted. Upload a {ACCEPTED_LABEL} file.")
    return CheckedFile(
        upload=upload,
        name=display_name(upload.name),
        size=upload.size,
        content_type=content_type,
        sha256=_sha256(upload),
    )


def file_store(checked: CheckedFile) -> str:
    """Save the bytes under a new random key (never the user's name); returns
    the key. Callers delete it again if their transaction fails."""
    key = secrets.token_hex(16)
    return document_storage().save(f"{key[:2]}/{key}", checked.upload)


def file_delete_now(key: str) -> None:
    try:
        document_storage().delete(key)
    except Exception:  # a leftover file is harmless; a failed request for it is not
        logger.exception("could not delete stored file %s", key)


def file_delete_on_commit(key: str) -> None:
    transaction.on_commit(lambda: file_delete_now(key))


def file_response(*, key: str, name: str, content_type: str, inline: bool = False) -> FileResponse:
    """The stored bytes as an attachment (or, for PDF and images when asked,
    inline in a sandbox), never sniffed by the browser, never cached."""
    show_inline = inline and content_type in sniffing.INLINE
    response = FileResponse(
        document_storage().open(key, "rb"),
        as_attachment=not show_inline,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
