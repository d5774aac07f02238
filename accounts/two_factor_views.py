"""Pages for two-factor authentication: set up, verify at login, manage."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from b2bbank.domain_errors import NotEligible

from . import two_factor


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


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan a QR code, confirm with a code, then see the recovery codes once."""
    form = CodeForm(request.POST or None)
    device_id = request.session.get("_2fa_setup_device")
    if request.method == "POST" and device_id and form.is_valid():
        try:
            codes = two_factor.totp_setup_confirm(
                user=request.user, device_id=device_id, token=form.cleaned_data["code"]
            )
        except NotEligible as exc:
            form.add_error("code", exc.detail)
        else:
            device = request.user.totpdevice_set.get(confirmed=True)  # type: ignore[union-attr]
            otp_login(request, device)
            two_factor.remember_enrolment(request.session, request.user)
            del request.session["_2fa_setup_device"]
            return render(
                request, "accounts/two_factor_codes.html", {"codes": codes, "next": _safe_next(request)}
            )
    if request.method == "GET" or not device_id:
        device = two_factor.totp_setup_start(user=request.user)
        request.session["_2fa_setup_device"] = device.pk
    else:
        device = request.user.totpdevice_set.get(pk=device_id)  # type: ignore[union-attr]
    context = {
        "form": form,
        "qr_svg": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_manual_entry(device),
        "required": two_factor.two_factor_required(request.user),
        "next": _safe_next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    if request.user.is_verified() or not two_factor.two_factor_enabled(request.user):  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.otp_verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error(
            "code", "That code is not valid. Try the newest code from your app, or a recovery code."
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "enabled": two_factor.two_factor_enabled(request.user),
            "required": two_factor.two_factor_required(request.user),
            "form": CodeForm(),
        },
    )


@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if not two_factor.two_factor_enabled(request.user):
        messages.error(request, "Set up two-factor authentication first.")
        return redirect("accounts:security")
    codes = two_factor.recovery_codes_regenerate(user=request.user)
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/account/security/"})


@login_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.two_factor_disable(user=request.user, token=form.cleaned_data["code"])
        except NotEligible as exc:
            messages.error(request, exc.detail)
        else:
            two_factor.remember_enrolment(request.session, request.user)
            messages.success(request, "Two-factor authentication is off.")
    else:
        messages.error(request, "Enter a code to turn two-factor authentication off.")
    return redirect("accounts:security")
