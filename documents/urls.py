from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("applications/<int:pk>/documents/upload/", views.upload, name="upload"),
    path("applications/<int:pk>/documents/requests/", views.request_create, name="request"),
    path("documents/<int:pk>/review/", views.review, name="review"),
    path("documents/<int:pk>/delete/", views.delete, name="delete"),
]
