"""The one place where domain errors become API answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from b2bbank.domain_errors import (
    DomainError,
    Forbidden,
    InvalidTransition,
    NotEligible,
    NotFound,
    RateLimited,
    TooLarge,
    UnsupportedType,
)

_STATUS = {
    InvalidTransition: status.HTTP_409_CONFLICT,
    NotEligible: status.HTTP_400_BAD_REQUEST,
    NotFound: status.HTTP_404_NOT_FOUND,
    Forbidden: status.HTTP_403_FORBIDDEN,
    TooLarge: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    UnsupportedType: status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RateLimited):  # the throttles' answer: 429, Retry-After
        exc = Throttled(wait=exc.retry_after, detail=exc.detail)
    if isinstance(exc, DomainError):
        code = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.detail, "code": exc.code}, status=code)
    if isinstance(exc, DjangoValidationError):
        # Model-level validation from services (full_clean) keeps its field names.
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail=detail)
    return drf_exception_handler(exc, context)
