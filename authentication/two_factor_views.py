"""b2bbank's pages around allauth.mfa: the security overview, the choice of a
first factor, and the second step of signing in (a code or a passkey).
Adding, removing and listing factors are allauth's views on b2bbank's templates
(authentication.allauth_urls)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AuthenticateWebAuthnForm
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from . import two_factor
from .mfa_bridge import passkey_request_options


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/dashboard/"


def _factors(user: Any) -> dict[str, Any]:
    authenticators = list(Authenticator.objects.filter(user_id=user.pk).order_by("created_at"))
    recovery = next((a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES), None)
    return {
        "totp": next((a for a in authenticators if a.type == Authenticator.Type.TOTP), None),
        "passkeys": [a for a in authenticators if a.type == Authenticator.Type.WEBAUTHN],
        "recovery_left": len(recovery.wrap().get_unused_codes()) if recovery else 0,
        "has_recovery": recovery is not None,
    }


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Choose the first factor: an authenticator app or a passkey."""
    context = {"required": two_factor.two_factor_required(request.user), "next": _safe_next(request)}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code, a recovery code, or a passkey."""
    user = request.user
    if two_factor.session_is_verified(request) or not two_factor.two_factor_enabled(user):
        return redirect(_safe_next(request))
    form = CodeForm(request.POST if "code" in request.POST else None)
    if form.is_valid():
        if two_factor.verify_code(request=request, user=user, code=form.cleaned_data["code"]):
            return redirect(_safe_next(request))
        form.add_error(
            "code", "That code is not valid. Try the newest code from your app, or a recovery code."
        )
    passkey_form = AuthenticateWebAuthnForm(request.POST if "credential" in request.POST else None, user=user)
    if passkey_form.is_bound:
        if passkey_form.is_valid():
            passkey_form.save()
            return redirect(_safe_next(request))
        messages.error(request, "That passkey was not accepted. Try again, or use a code.")
    context: dict[str, Any] = {"form": form, "next": _safe_next(request), "passkey_form": passkey_form}
    if Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists():
        context["js_data"] = {"request_options": passkey_request_options(user)}
    return render(request, "accounts/two_factor_verify.html", context)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "enabled": two_factor.two_factor_enabled(request.user),
            "required": two_factor.two_factor_required(request.user),
            **_factors(request.user),
        },
    )


def passkey_remove(allauth_view: Any) -> Any:
    """allauth's remove-passkey view, refusing to take the last factor of a
    user who must have two-factor (allauth asks the adapter only for TOTP)."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if request.method == "POST" and request.user.is_authenticated:
            authenticator = get_object_or_404(
                Authenticator, pk=pk, user_id=request.user.pk, type=Authenticator.Type.WEBAUTHN
            )
            if not two_factor.may_remove(authenticator):
                messages.error(
                    request,
                    "Two-factor authentication is required for your account: add another passkey "
                    "or an authenticator app before removing this one.",
                )
                return redirect("mfa_list_webauthn")
        response: HttpResponse = allauth_view(request, pk=pk)
        return response

    return view
