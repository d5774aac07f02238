"""Keeps a signed-in session at the second-factor step until it is done.

A user with an authenticator must enter a code after the password; a user whose
role requires 2FA but has none must set it up first. Until then only the 2FA
pages, logout and static files answer. Bearer-token API calls are checked at
token issue instead (accounts.services.token_create)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import ENROLLED_SESSION_KEY, two_factor_required

EXEMPT_NAMES = {"two-factor-verify", "two-factor-setup", "logout"}


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified() or self._exempt(request):  # type: ignore[union-attr,attr-defined]
            return self.get_response(request)
        if request.session.get(ENROLLED_SESSION_KEY):
            return self._send_to(request, "accounts:two-factor-verify", "A one-time code is required.")
        if two_factor_required(user):
            return self._send_to(
                request, "accounts:two-factor-setup", "Set up two-factor authentication first."
            )
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL) or request.path == "/healthz":
            return True
        match = request.resolver_match
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        return match.url_name in EXEMPT_NAMES and match.namespace == "accounts"

    @staticmethod
    def _send_to(request: HttpRequest, name: str, detail: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "code": "otp_required"}, status=403)
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
