"""Who may see and move a loan application: the one place these rules live."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.permissions import is_banker, is_business_owner

from .models import LoanApplication, Status


def can_view_application(user: Any, application: LoanApplication) -> bool:
    """The owner always; the banker it was sent to once it left draft."""
    if is_business_owner(user):
        return application.owner_id == user.pk
    if is_banker(user):
        return application.banker_id == user.pk and application.status != Status.DRAFT
    return False


def can_edit_application(user: Any, application: LoanApplication) -> bool:
    return is_business_owner(user) and application.owner_id == user.pk and application.status == Status.DRAFT


class IsOwnerOrBanker(BasePermission):
    """API guard: applications exist only for business owners and bankers."""

    message = "Only business owners and bankers have applications."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_business_owner(request.user) or is_banker(request.user)
