"""OpenAPI generation: every operation documents the errors it can answer with,
so clients (and the schema fuzzer) know the shape of a 400, 401, 403, 404, 409
and 429 as well as of a success."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(required=False),
    },
)

ERRORS = {
    "400": OpenApiResponse(
        OpenApiTypes.OBJECT, description="Invalid input: field names map to messages, or detail/code."
    ),
    "401": OpenApiResponse(ERROR, description="Not authenticated, or the token is invalid or expired."),
    "403": OpenApiResponse(ERROR, description="Authenticated, but this role may not do this."),
    "404": OpenApiResponse(ERROR, description="Not found, or not yours."),
    "409": OpenApiResponse(ERROR, description="Not allowed from the object's current state."),
    "429": OpenApiResponse(ERROR, description="Too many requests, or sign-in locked out."),
}


class B2BAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in ERRORS.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
