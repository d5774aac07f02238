"""The one place b2bbank reaches into allauth.mfa beyond its public views,
forms, signals and settings: the WebAuthn request options for the second step
of b2bbank's own password sign-in (allauth builds them only inside its own
login stages). authentication.tests.test_allauth_contract fails if this changes."""

from __future__ import annotations

from typing import Any

from allauth.mfa.webauthn.internal import auth as webauthn_auth


def passkey_request_options(user: Any) -> dict:
    """Ask the browser for one of this user's passkeys; the challenge is kept in
    the session (allauth's request context) for AuthenticateWebAuthnForm."""
    return webauthn_auth.begin_authentication(user)
