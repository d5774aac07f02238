"""django-allauth's account pages at b2bbank's addresses, under allauth's own
route names (its flows reverse them). Sign-up and sign-in stay b2bbank's pages;
`account_login` and `account_signup` name them for allauth's links."""

from allauth.account import views as allauth_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as passkey_views
from django.urls import path, re_path

from accounts import views as account_views

from . import two_factor_views, views

urlpatterns = [
    path("password/reset/", allauth_views.password_reset, name="account_reset_password"),
    path("password/reset/done/", allauth_views.password_reset_done, name="account_reset_password_done"),
    path(
        "password/reset/key/done/",
        allauth_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        allauth_views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path("account/password/", allauth_views.password_change, name="account_change_password"),
    path("account/email/", allauth_views.email, name="account_email"),
    path("account/reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("email/confirm/", allauth_views.email_verification_sent, name="account_email_verification_sent"),
    re_path(r"^email/confirm/(?P<key>[-:\w]+)/$", allauth_views.confirm_email, name="account_confirm_email"),
    # Second factors (allauth.mfa); b2bbank's security page is their index.
    path("account/security/", two_factor_views.security, name="mfa_index"),
    path("account/security/reauthenticate/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("account/security/totp/", totp_views.activate_totp, name="mfa_activate_totp"),
    path("account/security/totp/off/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path(
        "account/security/recovery-codes/", recovery_views.view_recovery_codes, name="mfa_view_recovery_codes"
    ),
    path(
        "account/security/recovery-codes/new/",
        recovery_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "account/security/recovery-codes/download/",
        recovery_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    path("account/security/passkeys/", passkey_views.list_webauthn, name="mfa_list_webauthn"),
    path("account/security/passkeys/add/", passkey_views.add_webauthn, name="mfa_add_webauthn"),
    path(
        "account/security/passkeys/reauthenticate/",
        passkey_views.reauthenticate_webauthn,
        name="mfa_reauthenticate_webauthn",
    ),
    path(
        "account/security/passkeys/<int:pk>/remove/",
        two_factor_views.passkey_remove(passkey_views.remove_webauthn),
        name="mfa_remove_webauthn",
    ),
    path("account/security/passkeys/<int:pk>/rename/", passkey_views.edit_webauthn, name="mfa_edit_webauthn"),
    # allauth's own second step, used where allauth signs the user in (after a password reset).
    path("login/second-step/", mfa_views.authenticate, name="mfa_authenticate"),
    path("login/passkey/", passkey_views.login_webauthn, name="mfa_login_webauthn"),
    # allauth links to these names; they are b2bbank's own pages.
    path("login/", views.EmailLoginView.as_view(), name="account_login"),
    path("signup/", account_views.signup_choose, name="account_signup"),
]
