"""Sign-in and sign-out pages, and the email confirmation status (second factors: two_factor_views)."""

from __future__ import annotations

from math import ceil
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.permissions import has_verified_email
from b2bbank.throttling import auth_budget_wait

from . import recovery
from .forms import EmailLoginForm
from .lockout import address_slowed_message


class EmailLoginView(LoginView):
    """Sign-in. Each client address gets the `login` budget of attempts per
    minute: past it, a 429 that says how long to wait (the typed address kept),
    never a lockout of everyone behind the address. Accounts themselves are
    locked by django-axes (authentication.lockout)."""

    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = auth_budget_wait(request, scope="login")
        if wait is None:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        form.errors.clear()
        form.add_error(None, address_slowed_message(ceil(wait)))
        return self.render_to_response(self.get_context_data(form=form), status=429)


class PostOnlyLogoutView(LogoutView):
    http_method_names = ["post", "options"]


@login_required
@require_http_methods(["GET", "POST"])
def email_status(request: HttpRequest) -> HttpResponse:
    """Whether the sign-in address is confirmed, and a button to send the link again."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        wait = auth_budget_wait(request)
        if wait is None:
            recovery.email_verification_send(request=request, user=user)
            messages.success(request, f"We have emailed a new confirmation link to {user.email}.")
        else:
            messages.error(request, f"Too many requests. Wait {ceil(wait)} seconds and try again.")
        return redirect("authentication:email-status")
    return render(request, "accounts/email_status.html", {"verified": has_verified_email(user)})
