"""Accounts API: sign-up, the current user, banker verification."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.choices import Role
from accounts.models import BankerProfile, normalize_email
from accounts.permissions import IsAdmin
from accounts.selectors import user_with_profile
from accounts.services import SIGNUP_DONE
from b2bbank.throttling import ScopedRateThrottle

from .serializers import (
    BankerSignupInput,
    MeOutput,
    MeUpdateInput,
    OwnerSignupInput,
    SignupOutput,
    VerifyInput,
    VerifyOutput,
)


class AuthEndpoint(APIView):
    """Anonymous endpoints that trade in credentials get a tight throttle."""

    # No session authentication: these need no CSRF token and act on no account.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "auth"


def _signup_answer(email: str, role: Role) -> Response:
    """One answer for a new account and for an address that already had one."""
    body = {"id": None, "email": normalize_email(email), "role": role, "detail": SIGNUP_DONE}
    return Response(SignupOutput(body).data, status=status.HTTP_201_CREATED)


class BusinessOwnerSignupApi(AuthEndpoint):
    @extend_schema(request=OwnerSignupInput, responses={201: SignupOutput})
    def post(self, request: Request) -> Response:
        data = OwnerSignupInput(data=request.data)
        data.is_valid(raise_exception=True)
        user_fields, profile = data.split()
        services.business_owner_signup(**user_fields, profile=profile)
        return _signup_answer(user_fields["email"], Role.BUSINESS_OWNER)


class BankerSignupApi(AuthEndpoint):
    @extend_schema(request=BankerSignupInput, responses={201: SignupOutput})
    def post(self, request: Request) -> Response:
        data = BankerSignupInput(data=request.data)
        data.is_valid(raise_exception=True)
        user_fields, profile = data.split()
        services.banker_signup(**user_fields, profile=profile)
        return _signup_answer(user_fields["email"], Role.BANKER)


class MeApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=MeOutput)
    def get(self, request: Request) -> Response:
        return Response(MeOutput(user_with_profile(user_id=request.user.pk)).data)  # type: ignore[arg-type]

    @extend_schema(request=MeUpdateInput, responses=MeOutput)
    def patch(self, request: Request) -> Response:
        user = user_with_profile(user_id=request.user.pk)  # type: ignore[arg-type]
        request.user = user
        data = MeUpdateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        profile = fields.pop("profile", {})
        emails = fields.pop("email_notifications", None)
        services.profile_update(
            user=user, user_fields=fields, profile_fields=profile, email_preferences=emails
        )
        return Response(MeOutput(user_with_profile(user_id=user.pk)).data)


class BankerVerifyApi(APIView):
    permission_classes = (IsAdmin,)

    @extend_schema(request=VerifyInput, responses=VerifyOutput)
    def post(self, request: Request, banker_id: int) -> Response:
        get_object_or_404(BankerProfile, user_id=banker_id)
        data = VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.banker_set_verification(
            banker_id=banker_id,
            status=data.validated_data["status"],
            actor=request.user,
            reason=data.validated_data.get("reason", ""),
        )
        return Response(VerifyOutput(profile).data)
