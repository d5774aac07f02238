"""What a locked-out sign-in sees (django-axes calls this). The same answer
whether or not the email has an account, on the page and in the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT = (
    "Too many failed sign-in attempts for this email. For your security, sign-in is "
    "paused for 30 minutes. If this was not you, contact support."
)


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_OUT, "code": "locked_out"}, status=429)
    return render(request, "accounts/locked_out.html", {"detail": LOCKED_OUT}, status=429)
