from django.urls import path

from . import views

urlpatterns = [
    path("bankers/", views.BankerListApi.as_view(), name="banker-list"),
    path("bankers/<int:banker_id>/", views.BankerDetailApi.as_view(), name="banker-detail"),
]
