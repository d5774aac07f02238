from django.urls import path

from . import views

urlpatterns = [
    path("applications/", views.ApplicationListApi.as_view(), name="application-list"),
    path("applications/<int:pk>/", views.ApplicationDetailApi.as_view(), name="application-detail"),
    path("applications/<int:pk>/events/", views.ApplicationEventsApi.as_view(), name="application-events"),
    path("applications/<int:pk>/submit/", views.SubmitApi.as_view(), name="application-submit"),
    path("applications/<int:pk>/withdraw/", views.WithdrawApi.as_view(), name="application-withdraw"),
    path("applications/<int:pk>/respond/", views.RespondApi.as_view(), name="application-respond"),
    path(
        "applications/<int:pk>/start-review/", views.StartReviewApi.as_view(), name="application-start-review"
    ),
    path(
        "applications/<int:pk>/request-info/", views.RequestInfoApi.as_view(), name="application-request-info"
    ),
    path("applications/<int:pk>/approve/", views.ApproveApi.as_view(), name="application-approve"),
    path("applications/<int:pk>/decline/", views.DeclineApi.as_view(), name="application-decline"),
]
