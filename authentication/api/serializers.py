"""Input and output shapes for the sign-in and recovery API."""

from __future__ import annotations

from rest_framework import serializers

from b2bbank.strict_input import StrictInput


class TokenInput(StrictInput):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        write_only=True,
        help_text="A code from the authenticator app (or a recovery code) when two-factor is on.",
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class PasswordResetInput(StrictInput):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInput(StrictInput):
    key = serializers.CharField(
        max_length=200, help_text="The last path segment of the link in the reset email."
    )
    new_password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})


class PasswordChangeInput(StrictInput):
    current_password = serializers.CharField(
        max_length=128, write_only=True, style={"input_type": "password"}
    )
    new_password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})


class EmailVerifyInput(StrictInput):
    key = serializers.CharField(
        max_length=200, help_text="The last path segment of the link in the confirmation email."
    )


class DetailOutput(serializers.Serializer):
    detail = serializers.CharField()
