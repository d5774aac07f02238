"""Server error answers. A database outage is a 503 with Retry-After (the load
balancer and clients retry; the app reconnects by itself through connection
health checks); anything else is a plain 500. Neither shows a traceback or SQL."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

UNAVAILABLE = "The service is temporarily unavailable. Please try again in a moment."
FAILED = "Something went wrong on our side. Please try again."


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its exception handler, so the exception is current.
    exc = sys.exc_info()[1]
    database_down = isinstance(exc, OperationalError | InterfaceError)
    status = 503 if database_down else 500
    if database_down:
        logger.error("database unavailable (%s)", type(exc).__name__)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": UNAVAILABLE if database_down else FAILED,
                "code": "unavailable" if database_down else "server_error",
            },
            status=status,
        )
    else:
        # A standalone template: base.html would touch the database (the nav's user).
        html = loader.render_to_string("500.html", {"unavailable": database_down})
        response = HttpResponse(html, status=status)
    if database_down:
        response["Retry-After"] = "5"
    return response


def _client_error(request: HttpRequest, status: int, detail: str, code: str, template: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return HttpResponse(loader.render_to_string(template, request=request), status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _client_error(request, 404, "Not found.", "not_found", "404.html")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "You do not have permission to do this.", "code": "forbidden"}, status=403
        )
    # A refusal for an unconfirmed address offers to send the link again.
    unverified = getattr(exception.__cause__, "code", "") == "email_unverified"
    context = {"exception": exception, "email_unverified": unverified}
    return HttpResponse(loader.render_to_string("403.html", context, request=request), status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _client_error(request, 400, "Bad request.", "bad_request", "400.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token (an old tab, cookies off,
    another site): say what to do in the site's own page, not Django's bare one."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "CSRF check failed: send the csrftoken cookie's value in X-CSRFToken.",
                "code": "csrf_failed",
            },
            status=403,
        )
    return HttpResponse(loader.render_to_string("403_csrf.html", request=request), status=403)
