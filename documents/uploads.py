"""Streaming uploads with a bounded size.

Every multipart file goes straight to a temporary file on disk (memory stays
bounded whatever the size) and its sha256 is computed chunk by chunk on the way.
A body announcing more than B2BBANK_DOCUMENT_MAX_BYTES (Content-Length), or a
file that grows past it, stops the upload without reading the rest: the
request is marked and the view answers 413. Fields sent before the file (the
CSRF token, `kind`) are kept, so a plain form still passes its CSRF check.
"""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest

TOO_LARGE_FLAG = "_b2bbank_upload_too_large"
# Multipart framing and the small fields around a file: a body this much over
# the file limit may still carry a file within it.
ENVELOPE_BYTES = 64 * 1024


def max_bytes() -> int:
    return int(settings.B2BBANK_DOCUMENT_MAX_BYTES)


def upload_too_large(request: Any) -> bool:
    """Whether the upload handler stopped this request's body for its size."""
    raw = getattr(request, "_request", request)  # a DRF Request wraps Django's
    return bool(getattr(raw, TOO_LARGE_FLAG, False))


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """TemporaryFileUploadHandler that hashes as it writes and refuses to go
    past the size limit (counted over every file of the request)."""

    # Four times Django's 64 KiB: a quarter of the Python-level iterations of
    # parsing, hashing and writing; 20 uploads in flight hold 5 MB of chunks.
    chunk_size = 256 * 1024

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes()
        self.total = 0
        self.declared_too_large = False
        self.digest = hashlib.sha256()

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, TOO_LARGE_FLAG, True)
        raise StopUpload(connection_reset=True)

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.declared_too_large = content_length > self.limit + ENVELOPE_BYTES

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.declared_too_large:
            self._refuse()
        self.digest = hashlib.sha256()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.total += len(raw_data)
        if self.total > self.limit:
            self.file.close()  # the temporary file is deleted on close
            self._refuse()
        self.digest.update(raw_data)
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile:
        uploaded = super().file_complete(file_size)
        assert isinstance(uploaded, TemporaryUploadedFile)  # noqa: S101 - this handler made it
        uploaded.sha256 = self.digest.hexdigest()  # type: ignore[attr-defined]
        return uploaded
