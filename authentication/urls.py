from django.urls import path

from . import two_factor_views, views

app_name = "authentication"

urlpatterns = [
    path("login/", views.EmailLoginView.as_view(), name="login"),
    path("logout/", views.PostOnlyLogoutView.as_view(), name="logout"),
    path("login/verify/", two_factor_views.two_factor_verify, name="two-factor-verify"),
    path("account/security/", two_factor_views.security, name="security"),
    path("account/security/setup/", two_factor_views.two_factor_setup, name="two-factor-setup"),
    path("account/email/verify/", views.email_status, name="email-status"),
]
