"""Who may do what in accounts, and the role guards every app uses.

Pages: anonymous users are sent to the login page, a wrong role is 403.
API: anonymous is 401 (DRF's NotAuthenticated), a wrong role is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from b2bbank.domain_errors import Forbidden

from .choices import Role

EMAIL_UNVERIFIED = (
    "Confirm your email address first: open the link we emailed you, or ask for a new one on your "
    "account page (/account/email/verify/)."
)


def has_role(user: Any, role: Role) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == role)


def is_business_owner(user: Any) -> bool:
    return has_role(user, Role.BUSINESS_OWNER)


def is_banker(user: Any) -> bool:
    return has_role(user, Role.BANKER)


def has_verified_email(user: Any) -> bool:
    """Whether the user has confirmed their sign-in address (always true when
    B2BBANK_REQUIRE_VERIFIED_EMAIL is off). One indexed query."""
    if not settings.B2BBANK_REQUIRE_VERIFIED_EMAIL:
        return True
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists()


def require_verified_email(user: Any) -> None:
    """The guard for what a new account may not do before confirming its address
    (submit an application, start a conversation): 403 `email_unverified`."""
    if not has_verified_email(user):
        raise Forbidden(EMAIL_UNVERIFIED, code="email_unverified")


def is_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def role_required(*roles: Role) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Page guard: login redirect for anonymous users, 403 for other roles."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_role(request.user, role) for role in roles):
                raise PermissionDenied("This page is not available for your account type.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class IsBusinessOwner(BasePermission):
    message = "Only business owners can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_business_owner(request.user)


class IsBanker(BasePermission):
    message = "Only bankers can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_banker(request.user)


class IsAdmin(BasePermission):
    message = "Only administrators can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_admin(request.user)
