from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup_choose, name="signup"),
    path("signup/business-owner/", views.signup, {"kind": "business-owner"}, name="signup-owner"),
    path("signup/banker/", views.signup, {"kind": "banker"}, name="signup-banker"),
    path("login/", views.EmailLoginView.as_view(), name="login"),
    path("logout/", views.PostOnlyLogoutView.as_view(), name="logout"),
    path("owner/", views.owner_home, name="owner-home"),
    path("banker/", views.banker_home, name="banker-home"),
    path("account/profile/", views.profile_settings, name="profile"),
]
