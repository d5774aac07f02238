from django.urls import path

from . import views

urlpatterns = [
    path("auth/signup/business-owner/", views.BusinessOwnerSignupApi.as_view(), name="signup-business-owner"),
    path("auth/signup/banker/", views.BankerSignupApi.as_view(), name="signup-banker"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("admin/bankers/<int:banker_id>/verify/", views.BankerVerifyApi.as_view(), name="banker-verify"),
]
