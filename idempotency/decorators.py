"""`@idempotent` for DRF create endpoints: the same Idempotency-Key and body
always get the first answer, and create one row, however many times (or how
concurrently) the client retries. The same key with another body is a 422.

The key is claimed, the view runs and its answer is stored in one transaction,
so a concurrent retry blocks on the unique index until the first commits, and a
first attempt that fails leaves the key free for the retry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (e.g. a UUID). Retries with the same key and body get the first "
    "answer and create nothing more; the same key with another body is refused (422).",
)


def _fingerprint(request: Request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = repr(request.data)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotentRequest) -> Response:
    response = Response(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    @wraps(view)
    def wrapped(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return view(self, request, *args, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return Response(
                {HEADER: [f"Must be 1 to {MAX_KEY_LENGTH} printable characters."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            record, created = IdempotentRequest.objects.get_or_create(
                user=request.user,
                key=key,
                defaults={"method": request.method, "path": request.path, "fingerprint": fingerprint},
            )
            if not created:
                if record.fingerprint != fingerprint:
                    return Response(
                        {
                            "detail": "This Idempotency-Key was used with a different request.",
                            "code": "idempotency_key_reused",
                        },
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                    )
                return _replay(record)
            response = view(self, request, *args, **kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # a server error is not an answer to keep
                return response
            record.status_code = response.status_code
            record.response_body = response.data
            record.save(update_fields=["status_code", "response_body"])
            return response

    return wrapped
