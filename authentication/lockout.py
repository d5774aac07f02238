"""What a refused sign-in says (OWASP authentication cheat sheet): the truth
about what happened and how to get back in, the same whether or not the email
has an account.

Two separate controls:
- the ACCOUNT is locked by django-axes after AXES_FAILURE_LIMIT failures for its
  email (even the right password is refused until the cool-off ends or the
  password is reset: authentication.recovery.credentials_changed lifts it);
- the client ADDRESS is only slowed: the `login` throttle answers 429 with the
  seconds to wait, and colleagues behind the same address keep signing in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse


def username_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account an attempt is for, as axes counts it: the email, lower-cased,
    from the credentials passed to authenticate() (page and API both pass
    `username`). axes' default reads the USERNAME_FIELD key, `email`, which no
    caller passes, so attempts were only ever counted per address."""
    credentials = credentials or {}
    email = credentials.get("username") or credentials.get("email")
    if not email and request is not None:
        email = request.POST.get("username")
    return str(email).strip().lower() if email else None


def account_locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Sign-in to this account is paused for {minutes} minutes after {settings.AXES_FAILURE_LIMIT} "
        "failed attempts, even with the right password: someone, perhaps you, kept entering a wrong one. "
        f"To get in now, reset your password ({reverse('account_reset_password')}): the new password "
        "works at once. Other people on your network can still sign in. Need help? Write to "
        f"{settings.B2BBANK_SUPPORT_EMAIL}."
    )


def address_slowed_message(wait_seconds: int) -> str:
    return (
        f"Too many sign-in attempts from your network in the last minute. Wait {wait_seconds} seconds, "
        "then try again: no account has been locked by this."
    )


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this when a locked account tries to sign in."""
    detail = account_locked_message()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": detail, "code": "locked_out"}, status=429)
    else:
        context = {
            "minutes": minutes,
            "failures": settings.AXES_FAILURE_LIMIT,
            "support_email": settings.B2BBANK_SUPPORT_EMAIL,
        }
        response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
