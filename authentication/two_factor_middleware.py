"""Keeps a signed-in session at the second-factor step until it is done.

A user with an authenticator app or a passkey must use one after the password
(a passkey sign-in is both steps at once); a user whose role requires 2FA but
has none must set one up first. Until then only the pages of that step, logout
and static files answer. Bearer-token API calls are checked at token issue
instead (authentication.services.token_create)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils.http import urlencode

from .two_factor import ENROLLED_SESSION_KEY, session_is_verified, two_factor_required

# Open to a signed-in user who has a factor but has not used it in this session.
VERIFY_ROUTES = {"authentication:two-factor-verify", "authentication:logout", "mfa_authenticate"}
# Open as well to a user who must set up a factor and has none yet. Adding one
# asks for the password again (allauth's reauthentication) and proves the factor.
SETUP_ROUTES = VERIFY_ROUTES | {
    "authentication:two-factor-setup",
    "authentication:security",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
}


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or self._always_open(request) or session_is_verified(request):
            return self.get_response(request)
        if request.session.get(ENROLLED_SESSION_KEY):
            if self._route(request) in VERIFY_ROUTES:
                return self.get_response(request)
            return self._send_to(request, "authentication:two-factor-verify", "A one-time code is required.")
        if two_factor_required(user):
            if self._route(request) in SETUP_ROUTES:
                return self.get_response(request)
            return self._send_to(
                request, "authentication:two-factor-setup", "Set up two-factor authentication first."
            )
        return self.get_response(request)

    @staticmethod
    def _always_open(request: HttpRequest) -> bool:
        return request.path.startswith(settings.STATIC_URL) or request.path == "/healthz"

    @staticmethod
    def _route(request: HttpRequest) -> str:
        match: ResolverMatch | None = request.resolver_match
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return ""
        return match.view_name

    @staticmethod
    def _send_to(request: HttpRequest, name: str, detail: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "code": "otp_required"}, status=403)
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
