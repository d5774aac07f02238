from django.urls import path

from . import views

urlpatterns = [
    path("auth/signup/business-owner/", views.BusinessOwnerSignupApi.as_view(), name="signup-business-owner"),
    path("auth/signup/banker/", views.BankerSignupApi.as_view(), name="signup-banker"),
    path("auth/token/", views.TokenCreateApi.as_view(), name="token"),
    path("auth/logout/", views.LogoutApi.as_view(), name="logout"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("admin/bankers/<int:banker_id>/verify/", views.BankerVerifyApi.as_view(), name="banker-verify"),
]
