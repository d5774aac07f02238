from django.urls import path

from loans.actions import REGISTRY

from . import views

# One route per registered action, all served by the one generic view.
ACTION_ROUTES = [
    path(
        f"applications/<int:pk>/offers/<int:offer>/{spec.path_segment}/"
        if spec.scope == "offer"
        else f"applications/<int:pk>/{spec.path_segment}/",
        views.ApplicationActionApi.as_view(loan_action=spec.action),
        name=f"application-{spec.action.value}",
    )
    for spec in REGISTRY.values()
]

urlpatterns = [
    path("applications/", views.ApplicationListApi.as_view(), name="application-list"),
    path("applications/<int:pk>/", views.ApplicationDetailApi.as_view(), name="application-detail"),
    path("applications/<int:pk>/events/", views.ApplicationEventsApi.as_view(), name="application-events"),
    path("applications/<int:pk>/offers/", views.ApplicationOffersApi.as_view(), name="application-offers"),
    *ACTION_ROUTES,
]
