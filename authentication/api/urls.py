from django.urls import path

from . import recovery_views, views

urlpatterns = [
    path("auth/token/", views.TokenCreateApi.as_view(), name="token"),
    path("auth/logout/", views.LogoutApi.as_view(), name="logout"),
    path("auth/password/reset/", recovery_views.PasswordResetApi.as_view(), name="password-reset"),
    path(
        "auth/password/reset/confirm/",
        recovery_views.PasswordResetConfirmApi.as_view(),
        name="password-reset-confirm",
    ),
    path("auth/password/change/", recovery_views.PasswordChangeApi.as_view(), name="password-change"),
    path("auth/email/verify/", recovery_views.EmailVerifyApi.as_view(), name="email-verify"),
    path("auth/email/resend/", recovery_views.EmailResendApi.as_view(), name="email-resend"),
]
