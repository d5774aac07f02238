"""Who may see and move a loan application, its tracks and offers: the one
place these rules live."""

from __future__ import annotations

from typing import Any, cast

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.models import User
from accounts.permissions import is_banker, is_business_owner

from .models import ApplicationTrack, LoanApplication, Status


def actor_of(request: Any) -> User:
    """The signed-in user of a request that a role guard already let through
    (role_required on pages, a role permission on the API): the services
    take a typed User."""
    return cast(User, request.user)


def can_view_application(user: Any, application: LoanApplication) -> bool:
    """The owner always; a banker while they have a live track on it (never a
    draft, never after their track was released)."""
    if is_business_owner(user):
        return application.owner_id == user.pk
    if is_banker(user):
        return (
            application.status != Status.DRAFT
            and ApplicationTrack.objects.filter(
                application_id=application.pk, banker_id=user.pk, released_at__isnull=True
            ).exists()
        )
    return False


def can_view_track(user: Any, track: ApplicationTrack) -> bool:
    """The application's owner sees every track; a banker only their own.
    Assumes the user may view the application."""
    if is_business_owner(user):
        return True
    return is_banker(user) and track.banker_id == user.pk


def can_edit_application(user: Any, application: LoanApplication) -> bool:
    return is_business_owner(user) and application.owner_id == user.pk and application.status == Status.DRAFT


class IsOwnerOrBanker(BasePermission):
    """API guard: applications exist only for business owners and bankers."""

    message = "Only business owners and bankers have applications."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_business_owner(request.user) or is_banker(request.user)


def can_view_platform_charts(user: Any) -> bool:
    """The platform's pipeline charts (every banker's figures) are for staff."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
