from django.urls import path

from . import views

urlpatterns = [
    path("notifications/unread/", views.NotificationUnreadApi.as_view(), name="notifications-unread"),
]
