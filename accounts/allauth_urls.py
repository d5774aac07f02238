"""django-allauth's account pages at b2bbank's addresses, under allauth's own
route names (its flows reverse them). Sign-up and sign-in stay b2bbank's pages;
`account_login` and `account_signup` name them for allauth's links."""

from allauth.account import views as allauth_views
from django.urls import path, re_path

from . import views

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
    # allauth links to these names; they are b2bbank's own pages.
    path("login/", views.EmailLoginView.as_view(), name="account_login"),
    path("signup/", views.signup_choose, name="account_signup"),
]
