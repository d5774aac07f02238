"""Sign-up, dashboards and profile settings pages."""

from __future__ import annotations

from math import ceil
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from b2bbank.domain_errors import NotEligible
from b2bbank.throttling import auth_budget_wait
from notifications.forms import SECTION_MARKER, EmailPreferencesForm

from . import services
from .account_closing import KEPT, account_close
from .banker_verification import banker_evidence_submit, evidence_checks
from .choices import Role
from .forms import (
    AccountForm,
    BankerEvidenceForm,
    BankerProfileForm,
    CloseAccountForm,
    NamesForm,
    OwnerProfileForm,
)
from .models import BankerEvidence, User
from .permissions import role_required

SIGNUP_FORMS = {
    "business-owner": (Role.BUSINESS_OWNER, OwnerProfileForm, services.business_owner_signup),
    "banker": (Role.BANKER, BankerProfileForm, services.banker_signup),
}


def attach_errors(exc: ValidationError, *forms: BaseForm) -> None:
    """Put a service's field errors on whichever form has that field."""
    for field, errors in exc.message_dict.items():
        target = next((f for f in forms if field in f.fields), forms[0])
        target.add_error(field if field in target.fields else None, errors)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def signup_choose(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "accounts/signup_choose.html")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest, kind: str) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    role, profile_form_class, signup_service = SIGNUP_FORMS[kind]
    account_form = AccountForm(request.POST or None)
    profile_form = profile_form_class(request.POST or None)
    status = 200
    wait = auth_budget_wait(request) if request.method == "POST" else None
    if wait is not None:
        # The API's sign-up budget per address (b2bbank.throttling): 429, the typed input kept.
        account_form.is_valid()
        account_form.add_error(
            None,
            f"Too many sign-ups from your network in the last minute. Wait {ceil(wait)} seconds, "
            "then enter your password again and send the form: your other answers are kept.",
        )
        status = 429
    elif request.method == "POST" and account_form.is_valid() and profile_form.is_valid():
        try:
            # A new account or an address that already had one: the same answer (ASVS 6.3.8).
            signup_service(**account_form.service_fields(), profile=profile_form.cleaned_data)
        except ValidationError as exc:
            attach_errors(exc, account_form, profile_form)
        else:
            request.session[SIGNUP_SESSION_KEY] = {"email": account_form.cleaned_data["email"], "role": role}
            return redirect("accounts:signup-done")
    return render(
        request,
        "accounts/signup_form.html",
        {"role": role, "account_form": account_form, "profile_form": profile_form},
        status=status,
    )


SIGNUP_SESSION_KEY = "signup_done"


@require_http_methods(["GET"])
def signup_done(request: HttpRequest) -> HttpResponse:
    """After any sign-up: check your inbox, then sign in."""
    done = request.session.get(SIGNUP_SESSION_KEY)
    if done is None:
        return redirect("accounts:signup")
    return render(request, "accounts/signup_done.html", {"email": done["email"], "role": done["role"]})


def support(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/support.html", {"support_email": settings.B2BBANK_SUPPORT_EMAIL})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each role to its home."""
    user: User = request.user  # type: ignore[assignment]
    if user.is_business_owner:
        return redirect("accounts:owner-home")
    if user.is_banker:
        return redirect("accounts:banker-home")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html", status=403)


def verification_context(user: User) -> dict[str, Any]:
    profile = user.banker_profile
    evidence = BankerEvidence.objects.filter(user=user).first()
    return {"profile": profile, "evidence": evidence, "checks": evidence_checks(profile, evidence)}


@role_required(Role.BANKER)
@require_http_methods(["GET", "POST"])
def banker_verification(request: HttpRequest) -> HttpResponse:
    """Send or correct verification evidence; see what is checked and the listing preview."""
    user: User = request.user  # type: ignore[assignment]
    context = verification_context(user)
    form = BankerEvidenceForm(request.POST or None, instance=context["evidence"])
    if request.method == "POST" and form.is_valid():
        try:
            banker_evidence_submit(user=user, **form.cleaned_data)
        except NotEligible as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request, "Thank you: your evidence is with our team. We will email you the decision."
            )
        return redirect("accounts:banker-verification")
    return render(request, "accounts/banker_verification.html", {**context, "form": form})


@role_required(Role.BUSINESS_OWNER, Role.BANKER)
@require_http_methods(["GET", "POST"])
def profile_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.is_banker:
        form_class, instance = BankerProfileForm, user.banker_profile
    else:
        form_class, instance = OwnerProfileForm, user.owner_profile  # type: ignore[assignment]
    names_form = NamesForm(request.POST or None, instance=user)
    profile_form = form_class(request.POST or None, instance=instance)
    email_form = EmailPreferencesForm(request.POST if SECTION_MARKER in request.POST else None, user=user)
    forms_valid = names_form.is_valid() and profile_form.is_valid() and not email_form.errors
    if request.method == "POST" and forms_valid:
        try:
            services.profile_update(
                user=user,
                user_fields={name: names_form.cleaned_data[name] for name in NamesForm.Meta.fields},
                profile_fields={name: profile_form.cleaned_data[name] for name in form_class.Meta.fields},
                email_preferences=email_form.cleaned_data if email_form.is_bound else None,
            )
        except ValidationError as exc:
            attach_errors(exc, names_form, profile_form)
        else:
            messages.success(request, "Your profile has been saved.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile_settings.html",
        {
            "names_form": names_form,
            "profile_form": profile_form,
            "email_form": email_form,
            "email_marker": SECTION_MARKER,
        },
    )


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html", {"version": settings.B2BBANK_TERMS_VERSION})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html", {"version": settings.B2BBANK_PRIVACY_VERSION})


@login_required
@require_http_methods(["GET", "POST"])
def account_close_view(request: HttpRequest) -> HttpResponse:
    """Close the account on request, after the password; says what is kept."""
    user: User = request.user  # type: ignore[assignment]
    form = CloseAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_close(user=user)
        logout(request)
        request.session[CLOSED_SESSION_KEY] = True
        return redirect("accounts:account-closed")
    return render(request, "accounts/account_close.html", {"form": form, "kept": KEPT})


@require_http_methods(["GET"])
def account_closed(request: HttpRequest) -> HttpResponse:
    if not request.session.get(CLOSED_SESSION_KEY):
        return redirect("home")
    return render(request, "accounts/account_closed.html", {"kept": KEPT})


CLOSED_SESSION_KEY = "account_closed"
