"""Sign-in API: bearer tokens (issue with credentials and a second factor, revoke)."""

from __future__ import annotations

from django.contrib.auth import logout
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.views import AuthEndpoint
from authentication import services
from authentication.models import ApiToken

from .serializers import TokenInput, TokenOutput


class TokenCreateApi(AuthEndpoint):
    @extend_schema(request=TokenInput, responses={200: TokenOutput})
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        key, token = services.token_create(request=request._request, **data.validated_data)
        return Response(TokenOutput({"token": key, "expires_at": token.expires_at}).data)


class LogoutApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            services.token_revoke(token=request.auth)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
