"""Who may use the banker directory.

Business owners use it to find a banker; bankers may browse it too (it is the
public face of their own listing, and seeing peers helps them complete theirs);
staff see what customers see. Users with no role and no staff flag may not.
Anonymous users go to the login page (pages) or get 401 (API)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.permissions import is_admin, is_banker, is_business_owner


def can_browse_directory(user: Any) -> bool:
    return is_business_owner(user) or is_banker(user) or is_admin(user)


def can_contact_banker(user: Any) -> bool:
    """Message and Apply are business-owner actions."""
    return is_business_owner(user)


class CanBrowseDirectory(BasePermission):
    message = "The banker directory is for business owners, bankers and staff."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_browse_directory(request.user)


def directory_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Page guard: login redirect for anonymous users, 403 for anyone else not allowed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_browse_directory(request.user):
            raise PermissionDenied("The banker directory is not available for this account.")
        return view(request, *args, **kwargs)

    return wrapped
