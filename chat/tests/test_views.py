from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import BankerFactory
from chat import services
from chat.models import Conversation, Message
from chat.tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_lists_conversations_with_unread_badges_in_constant_queries(
    owner_a: Any, django_assert_num_queries: Any
) -> None:
    for n in range(4):
        convo = ConversationFactory(owner=owner_a, banker=BankerFactory(first_name=f"Banker{n}"))
        services.message_send(sender=convo.banker, conversation_id=convo.pk, body=f"Offer {n}")
    client = logged_in(owner_a)
    with django_assert_num_queries(4):  # session, user, nav notifications count, conversations
        response = client.get(reverse("chat:inbox"))
    html = response.content.decode()
    assert html.index("Offer 3") < html.index("Offer 0"), "newest activity first"
    assert html.count("chat-inbox-unread") == 4


def test_inbox_shows_empty_state(banker_x: Any) -> None:
    response = logged_in(banker_x).get(reverse("chat:inbox"))
    assert "No conversations yet." in response.content.decode()


def test_conversation_page_shows_messages_oldest_first_in_constant_queries(
    conversation: Any, owner_a: Any, banker_x: Any, django_assert_num_queries: Any
) -> None:
    for n in range(35):
        MessageFactory(conversation=conversation, sender=banker_x if n % 2 else owner_a, body=f"line {n}")
    client = logged_in(owner_a)
    with django_assert_num_queries(5):  # session, user, nav notifications count, conversation, messages
        response = client.get(reverse("chat:conversation", kwargs={"conversation_id": conversation.pk}))
    html = response.content.decode()
    assert "line 5" in html
    assert "line 4<" not in html, "only the newest page is rendered; older ones load on scroll"
    assert html.index("line 33") < html.index("line 34")
    assert 'data-has-more="1"' in html


def test_conversation_form_post_sends_and_rerenders_errors(conversation: Any, banker_x: Any) -> None:
    client = logged_in(banker_x)
    url = reverse("chat:conversation", kwargs={"conversation_id": conversation.pk})
    assert client.post(url, {"body": "Posted without JavaScript"}).status_code == 302
    assert Message.objects.get().body == "Posted without JavaScript"
    response = client.post(url, {"body": ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_conversation_form_shares_the_send_rate_limit(conversation: Any, banker_x: Any) -> None:
    from django.conf import settings
    from django.test import override_settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "chat_send": "2/min"}
    client = logged_in(banker_x)
    url = reverse("chat:conversation", kwargs={"conversation_id": conversation.pk})
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        codes = [client.post(url, {"body": f"m{n}"}).status_code for n in range(3)]
        assert codes == [302, 302, 429]
        refused = client.post(url, {"body": "kept in the box"})
        assert "sending messages too fast" in refused.content.decode()
        assert "kept in the box" in refused.content.decode()  # what they typed is not lost
        assert client.get(url).status_code == 200
    assert Message.objects.count() == 2


def test_start_opens_existing_or_new_conversation(owner_a: Any, banker_x: Any) -> None:
    client = logged_in(owner_a)
    first = client.post(reverse("chat:start"), {"banker": banker_x.pk})
    convo = Conversation.objects.get()
    assert first["Location"] == reverse("chat:conversation", kwargs={"conversation_id": convo.pk})
    again = client.post(reverse("chat:start"), {"banker": banker_x.pk})
    assert again["Location"] == first["Location"]
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize("banker", ["", "abc"])
def test_start_with_bad_banker_is_404(owner_a: Any, banker: str) -> None:
    assert logged_in(owner_a).post(reverse("chat:start"), {"banker": banker}).status_code == 404


def test_start_refuses_unverified_banker(owner_a: Any, pending_banker: Any) -> None:
    response = logged_in(owner_a).post(reverse("chat:start"), {"banker": pending_banker.pk})
    assert response.status_code == 404
    assert not Conversation.objects.exists()


def test_nav_has_messages_link_and_socket_script_for_signed_in_users_only(owner_a: Any, staff: Any) -> None:
    html = logged_in(owner_a).get(reverse("chat:inbox")).content.decode()
    assert 'href="/messages/"' in html
    assert "js/realtime.js" in html
    anonymous = Client().get(reverse("authentication:login")).content.decode()
    assert "js/realtime.js" not in anonymous


def test_message_button_include_posts_to_start_for_owners_only(owner_a: Any, banker_x: Any) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    html = render_to_string(
        "chat/includes/message_button.html", {"user": owner_a, "banker_id": banker_x.pk}, request=request
    )
    assert f'action="{reverse("chat:start")}"' in html
    assert f'name="banker" value="{banker_x.pk}"' in html
    hidden = render_to_string(
        "chat/includes/message_button.html", {"user": banker_x, "banker_id": banker_x.pk}
    )
    assert "<form" not in hidden
