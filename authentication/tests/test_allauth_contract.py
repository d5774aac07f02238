"""What b2bbank relies on in django-allauth, checked so an upgrade that changes
it fails here rather than in production (authentication.allauth_adapter,
authentication.recovery, authentication.password_events, authentication.allauth_urls)."""

from __future__ import annotations

import inspect

import allauth
from allauth.account import signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ChangePasswordForm, ResetPasswordForm, ResetPasswordKeyForm, UserTokenForm
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from authentication.allauth_adapter import AccountAdapter

HOOKS = {
    "send_mail": ["self", "template_prefix", "email", "context"],
    "get_email_confirmation_url": ["self", "request", "emailconfirmation"],
    "get_reset_password_from_key_url": ["self", "key"],
    "get_client_ip": ["self", "request"],
    "is_open_for_signup": ["self", "request"],
    "get_login_redirect_url": ["self", "request"],
    "get_email_verification_redirect_url": ["self", "email_address"],
    "render_mail": ["self", "template_prefix", "email", "context", "headers"],
    "send_notification_mail": ["self", "template_prefix", "user", "context", "email"],
    "respond_user_inactive": ["self", "request", "user"],
}


def test_the_pinned_allauth_version_is_the_one_installed() -> None:
    from pathlib import Path

    pins = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text()
    assert f"django-allauth[mfa]=={allauth.__version__}" in pins


def test_the_adapter_hooks_we_override_keep_their_signatures() -> None:
    for name, parameters in HOOKS.items():
        assert list(inspect.signature(getattr(DefaultAccountAdapter, name)).parameters) == parameters, name
    overridden = {name for name in vars(AccountAdapter) if not name.startswith("_")}
    assert overridden <= set(HOOKS) | {"add_message"}, "a new override must be listed here"


def test_the_forms_we_drive_keep_their_fields() -> None:
    assert set(ResetPasswordForm.base_fields) == {"email"}
    assert set(ResetPasswordKeyForm.base_fields) == {"password1", "password2"}
    assert set(UserTokenForm.base_fields) == {"uidb36", "key"}
    assert set(ChangePasswordForm.base_fields) == {"oldpassword", "password1", "password2"}


def test_the_models_and_signals_we_use_exist() -> None:
    assert callable(EmailConfirmationHMAC.from_key)
    assert callable(EmailAddress.send_confirmation)
    assert list(inspect.signature(EmailAddress.send_confirmation).parameters) == ["self", "request", "signup"]
    assert signals.password_changed
    assert signals.password_reset


MFA_HOOKS = {
    "can_delete_authenticator": ["self", "authenticator"],
    "get_public_key_credential_rp_entity": ["self"],
}


def test_the_mfa_adapter_hooks_we_override_keep_their_signatures() -> None:
    from allauth.mfa.adapter import DefaultMFAAdapter

    from authentication.allauth_adapter import MFAAdapter

    for name, parameters in MFA_HOOKS.items():
        assert list(inspect.signature(getattr(DefaultMFAAdapter, name)).parameters) == parameters, name
    overridden = {name for name in vars(MFAAdapter) if not name.startswith("_")}
    assert overridden <= set(MFA_HOOKS), "a new override must be listed here"


def test_the_mfa_pieces_we_use_exist() -> None:
    """authentication.two_factor, two_factor_views, mfa_events, mfa_forms and the one
    reach into allauth's internals (authentication.mfa_bridge)."""
    from allauth.mfa import signals as mfa_signals
    from allauth.mfa.base.forms import AuthenticateForm
    from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm
    from allauth.mfa.webauthn.internal import auth as webauthn_auth

    assert list(inspect.signature(webauthn_auth.begin_authentication).parameters) == ["user"]
    assert set(AuthenticateForm.base_fields) == {"code"}
    assert set(AuthenticateWebAuthnForm.base_fields) == {"credential"}
    assert set(AddWebAuthnForm.base_fields) == {"name", "credential", "passwordless"}
    for name in ("authenticator_added", "authenticator_removed", "authenticator_reset", "authenticator_used"):
        assert getattr(mfa_signals, name)
    assert mfa_signals.authentication_failed
