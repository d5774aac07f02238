from django.urls import path

from . import dashboard_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup_choose, name="signup"),
    path("signup/business-owner/", views.signup, {"kind": "business-owner"}, name="signup-owner"),
    path("signup/banker/", views.signup, {"kind": "banker"}, name="signup-banker"),
    path("signup/done/", views.signup_done, name="signup-done"),
    path("owner/", dashboard_views.owner_home, name="owner-home"),
    path("banker/", dashboard_views.banker_home, name="banker-home"),
    path("banker/verification/", views.banker_verification, name="banker-verification"),
    path("account/profile/", views.profile_settings, name="profile"),
    path("support/", views.support, name="support"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("account/close/", views.account_close_view, name="account-close"),
    path("account/closed/", views.account_closed, name="account-closed"),
]
