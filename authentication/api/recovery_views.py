"""The accounts API's recovery and verification endpoints (DESIGN.md, Accounts):
thin views over authentication.recovery, which runs django-allauth's flows."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from authentication import recovery
from b2bbank.throttling import ScopedRateThrottle

from .serializers import (
    DetailOutput,
    EmailVerifyInput,
    PasswordChangeInput,
    PasswordResetConfirmInput,
    PasswordResetInput,
)

# One answer whether or not the address has an account (ASVS 6.3.8, 6.4.2).
RESET_REQUESTED = (
    "If this address has a b2bbank account, we have emailed it a link to choose a new password. "
    "The link works once, for one hour."
)
RESET_DONE = "Your password has been changed. Sign in with the new one."
CHANGED = "Your password has been changed. Your other sessions, API tokens and websockets have ended."
VERIFIED = "Your email address is confirmed."
VERIFICATION_SENT = (
    "If your address is not confirmed yet, we have emailed it a new confirmation link. "
    "Links work for three days."
)


def _detail(text: str, code: int = status.HTTP_200_OK) -> Response:
    return Response(DetailOutput({"detail": text}).data, status=code)


class _Anonymous(APIView):
    """Key- or address-based endpoints: no session (so no CSRF), the `auth` budget per address."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "auth"


class _SignedIn(APIView):
    """The user's own account: the `auth` budget per user."""

    permission_classes = (IsAuthenticated,)
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "auth"


class PasswordResetApi(_Anonymous):
    @extend_schema(request=PasswordResetInput, responses={202: DetailOutput})
    def post(self, request: Request) -> Response:
        data = PasswordResetInput(data=request.data)
        data.is_valid(raise_exception=True)
        recovery.password_reset_request(request=request._request, email=data.validated_data["email"])
        return _detail(RESET_REQUESTED, status.HTTP_202_ACCEPTED)


class PasswordResetConfirmApi(_Anonymous):
    @extend_schema(request=PasswordResetConfirmInput, responses={200: DetailOutput})
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        recovery.password_reset_confirm(request=request._request, **data.validated_data)
        return _detail(RESET_DONE)


class PasswordChangeApi(_SignedIn):
    @extend_schema(request=PasswordChangeInput, responses={200: DetailOutput})
    def post(self, request: Request) -> Response:
        data = PasswordChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        user: User = request.user  # type: ignore[assignment]
        recovery.password_change(request=request._request, user=user, **data.validated_data)
        return _detail(CHANGED)


class EmailVerifyApi(_Anonymous):
    @extend_schema(request=EmailVerifyInput, responses={200: DetailOutput})
    def post(self, request: Request) -> Response:
        data = EmailVerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        recovery.email_verify(request=request._request, key=data.validated_data["key"])
        return _detail(VERIFIED)


class EmailResendApi(_SignedIn):
    @extend_schema(request=None, responses={202: DetailOutput})
    def post(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        recovery.email_verification_send(request=request._request, user=user)
        return _detail(VERIFICATION_SENT, status.HTTP_202_ACCEPTED)
