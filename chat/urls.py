from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/start/", views.start, name="start"),
    path("messages/<int:conversation_id>/", views.conversation, name="conversation"),
]
