from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("bankers/", views.search, name="search"),
    path("bankers/<int:banker_id>/", views.profile, name="profile"),
]
