"""b2bbank's django-allauth adapter: the one place account emails leave from,
the links they carry, and the client address allauth's rate limits count.

Only the adapters' documented hooks are overridden (DefaultAccountAdapter's and
DefaultMFAAdapter's public methods); authentication.tests.test_allauth_contract fails
if their names or signatures change in a new allauth."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from b2bbank.client_address import client_ip_for_request

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    """An absolute link for an email: the site's public address, never the
    request's Host header (which a client chooses)."""
    return settings.SITE_URL.rstrip("/") + path


class AccountAdapter(DefaultAccountAdapter):
    """Account flows on b2bbank's pages: sign-up belongs to b2bbank's own role
    forms, emails are sent after the change commits, links use SITE_URL."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by accounts.services (roles and profiles), never by allauth.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every account email (verification, reset, change notices) is sent here,
        once the transaction that caused it commits. The single point to route
        account mail elsewhere (e.g. a durable job queue)."""
        ctx = {
            "email": email,
            "current_site": SimpleNamespace(name="b2bbank", domain=settings.SITE_URL),
            "support_email": settings.B2BBANK_SUPPORT_EMAIL,
            **context,
        }
        ctx.pop("request", None)  # templates never need it; a message must not depend on who asked
        message = self.render_mail(template_prefix, email, ctx)

        def send() -> None:
            try:
                message.send()
            except Exception:  # the flow's answer must not say whether mail went out
                logger.exception("account email %s failed", template_prefix)

        transaction.on_commit(send)

    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation: Any) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def add_message(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        # API answers carry their own detail; a flash message would surface on the next page.
        if request is not None and not request.path.startswith("/api/"):
            super().add_message(request, *args, **kwargs)

    def get_client_ip(self, request: HttpRequest) -> str:
        # The one source of client addresses (B2BBANK_TRUSTED_PROXIES), as for throttles and axes.
        return client_ip_for_request(request) or "0.0.0.0"  # noqa: S104 - a key, never bound

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("dashboard")

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        return reverse("authentication:email-status")

    def respond_user_inactive(self, request: HttpRequest, user: Any) -> HttpResponse:
        # A closed account's passkey (allauth's passkey sign-in) meets the same
        # answer as its password does on b2bbank's sign-in page.
        messages.error(request, "This account is closed. To reopen it, write to support.")
        return redirect("authentication:login")


class MFAAdapter(DefaultMFAAdapter):
    """Second factors (allauth.mfa) under b2bbank's rule: whoever must have
    two-factor keeps at least one authenticator app or passkey."""

    def can_delete_authenticator(self, authenticator: Any) -> bool:
        from .two_factor import may_remove

        return may_remove(authenticator)

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        # The passkey's relying party is the site itself, named the same everywhere
        # (the default names it after the request's Host header).
        return {**super().get_public_key_credential_rp_entity(), "name": "b2bbank"}
