from django.urls import path

from . import views

urlpatterns = [
    path(
        "applications/<int:pk>/documents/",
        views.ApplicationDocumentsApi.as_view(),
        name="application-documents",
    ),
    path(
        "applications/<int:pk>/document-requests/",
        views.ApplicationDocumentRequestsApi.as_view(),
        name="application-document-requests",
    ),
    path("documents/<int:pk>/", views.DocumentDetailApi.as_view(), name="document-detail"),
    path("documents/<int:pk>/download/", views.DocumentDownloadApi.as_view(), name="document-download"),
    path("documents/<int:pk>/review/", views.DocumentReviewApi.as_view(), name="document-review"),
    path("attachments/<int:pk>/download/", views.AttachmentDownloadApi.as_view(), name="attachment-download"),
]
