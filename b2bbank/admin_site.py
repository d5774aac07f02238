"""Django admin that, where two-factor authentication is required for staff,
lets in only sessions verified with a second factor."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class B2BAdminSite(AdminSite):
    site_header = "b2bbank administration"
    site_title = "b2bbank admin"
    index_title = "Platform administration"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        if settings.B2BBANK_2FA_REQUIRED_FOR_STAFF:
            from authentication.two_factor import session_is_verified

            return session_is_verified(request)
        return True


class B2BAdminConfig(AdminConfig):
    default_site = "b2bbank.admin_site.B2BAdminSite"
