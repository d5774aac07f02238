from django.urls import path

from . import chart_views, views

app_name = "loans"

urlpatterns = [
    path("applications/", views.application_list, name="list"),
    path("applications/new/", views.application_new, name="new"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="action"),
    path(
        "applications/<int:pk>/offers/<int:offer>/<slug:action>/",
        views.application_action,
        name="offer-action",
    ),
    path("pipeline/", views.pipeline, name="pipeline"),
    # Before the stage pattern, which would otherwise read "charts" as a stage.
    path("pipeline/charts/", chart_views.pipeline_charts, name="pipeline-charts"),
    path("platform/charts/", chart_views.platform_charts, name="platform-charts"),
    path("pipeline/<slug:status>/", views.pipeline_stage, name="pipeline-stage"),
]
