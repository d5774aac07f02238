from django.urls import path

from . import views

urlpatterns = [
    path("conversations/", views.ConversationListApi.as_view(), name="conversations"),
    path("conversations/unread/", views.UnreadApi.as_view(), name="conversations-unread"),
    path(
        "conversations/<int:conversation_id>/messages/",
        views.MessageListApi.as_view(),
        name="conversation-messages",
    ),
    path("conversations/<int:conversation_id>/read/", views.ReadApi.as_view(), name="conversation-read"),
    path("realtime/ticket/", views.TicketApi.as_view(), name="realtime-ticket"),
]
