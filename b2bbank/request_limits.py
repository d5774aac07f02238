"""Request-line limits, so an over-long address gets an answer instead of a
dropped connection.

The app refuses an address (path plus query string) longer than
`B2BBANK_MAX_URL_LENGTH` (8,192 characters, nginx's default request-line buffer
too) with 414. Daphne's HTTP server (Twisted) used to drop a request line over
16 KB without a word; `allow_long_request_lines` lets Twisted read lines up to
64 KB, so its total header limit (16 KB, `HTTPChannel.totalHeadersSize`)
answers 400 instead, and anything under it reaches the 414 here. Both are
documented attributes of Twisted's HTTPChannel."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

TOO_LONG = "The address is too long: at most {limit:,} characters are accepted."
TWISTED_LINE_LIMIT = 64 * 1024


def allow_long_request_lines() -> None:
    """Raise Twisted's per-line limit above its header total (see the module docstring)."""
    from twisted.web.http import HTTPChannel

    HTTPChannel.MAX_LENGTH = max(HTTPChannel.MAX_LENGTH, TWISTED_LINE_LIMIT)


class UrlLengthLimitMiddleware:
    """414 for an address longer than the limit, before anything parses it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit: int = settings.B2BBANK_MAX_URL_LENGTH
        if len(request.path) + len(request.META.get("QUERY_STRING", "")) > limit:
            detail = TOO_LONG.format(limit=limit)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail, "code": "uri_too_long"}, status=414)
            return HttpResponse(detail, status=414, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
