"""Top-level routes: pages, the API under /api/v1/, admin, health.
Websocket routes live in chat/routing.py (see asgi.py)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from b2bbank.health import healthz

api_v1: list[URLPattern | URLResolver] = [
    path("", include("accounts.api.urls")),
    path("", include("authentication.api.urls")),
    path("", include("directory.api.urls")),
    path("", include("loans.api.urls")),
    path("", include("chat.api.urls")),
    path("", include("documents.api.urls")),
    path("", include("notifications.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]

# Django tries patterns in order and the page apps are included at the root, so
# the API and the health check come first: resolving /api/v1/bankers/ behind every
# page pattern cost a quarter of a millisecond a request.
urlpatterns = [
    path("api/v1/", include((api_v1, "api"))),
    path("healthz", healthz, name="healthz"),
    path("", account_views.home, name="home"),
    path("dashboard/", account_views.dashboard, name="dashboard"),
    path("", include("accounts.urls")),
    path("", include("authentication.urls")),
    path("", include("authentication.allauth_urls")),
    path("", include("directory.urls")),
    path("", include("loans.urls")),
    path("", include("chat.urls")),
    path("", include("notifications.urls")),
    path("", include("documents.urls")),
    path("admin/", admin.site.urls),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="api-docs"),
]

handler500 = "b2bbank.error_views.server_error"
handler404 = "b2bbank.error_views.page_not_found"
handler403 = "b2bbank.error_views.permission_denied"
handler400 = "b2bbank.error_views.bad_request"
