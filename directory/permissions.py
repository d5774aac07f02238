"""Who may use the banker directory.

Visitors browse it before they sign up (the landing page promises search):
the directory and a banker's profile show only what a listing publishes, the
same for everyone, and their searches count against the per-address `anon`
rate, pages and API alike. Business owners use it to find a banker; bankers may
browse it too (it is the public face of their own listing, and seeing peers
helps them complete theirs); staff see what customers see. Signed-in users with
no role and no staff flag may not. Messaging and applying need a business
owner's sign-in (`can_contact_banker`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from math import ceil
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.permissions import is_admin, is_banker, is_business_owner
from b2bbank.throttling import auth_budget_wait


def can_browse_directory(user: Any) -> bool:
    if not user.is_authenticated:
        return True
    return is_business_owner(user) or is_banker(user) or is_admin(user)


def can_contact_banker(user: Any) -> bool:
    """Message and Apply are business-owner actions."""
    return is_business_owner(user)


class CanBrowseDirectory(BasePermission):
    message = "The banker directory is for visitors, business owners, bankers and staff."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_browse_directory(request.user)


def directory_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Page guard: 403 for a signed-in account that may not browse; a visitor
    over the `anon` rate (shared with the API) gets 429 with the wait."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_browse_directory(request.user):
            raise PermissionDenied("The banker directory is not available for this account.")
        if not request.user.is_authenticated:
            wait = auth_budget_wait(request, scope="anon")
            if wait is not None:
                response = render(request, "directory/too_many.html", {"wait": ceil(wait)}, status=429)
                response["Retry-After"] = str(ceil(wait))
                return response
        return view(request, *args, **kwargs)

    return wrapped
