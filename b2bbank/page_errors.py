"""The one place where domain errors become page answers: a message on the page
the user came from, or the matching HTTP error."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from b2bbank.domain_errors import DomainError, Forbidden, NotFound


def report_domain_error(request: HttpRequest, exc: DomainError) -> None:
    """Raise 404/403 for access errors; show anything else as an error message."""
    if isinstance(exc, NotFound):
        raise Http404(exc.detail) from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.detail) from exc
    messages.error(request, exc.detail)
