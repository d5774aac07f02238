from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from b2bbank.domain_errors import NotFound
from notifications import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make(user: Any, title: str = "Hello", link: str = "/applications/") -> Notification:
    return Notification.objects.create(recipient=user, kind="test", title=title, link=link)


def test_mark_read_is_scoped_to_the_recipient(owner_a: Any, owner_b: Any) -> None:
    notification = make(owner_a)
    with pytest.raises(NotFound):
        services.notification_mark_read(user=owner_b, notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.read_at is None
    services.notification_mark_read(user=owner_a, notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_only_touches_mine(owner_a: Any, owner_b: Any) -> None:
    make(owner_a)
    make(owner_a)
    theirs = make(owner_b)
    assert services.notifications_mark_all_read(user=owner_a) == 2
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_nav_shows_unread_count_with_one_query(owner_a: Any, django_assert_num_queries: Any) -> None:
    make(owner_a)
    make(owner_a)
    client = client_for(owner_a)
    # session, user, unread count; the list page itself adds count + page
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:list"))
    assert (
        '<span class="nav-count" data-nav-notifications aria-label="2 unread">2</span>'
        in response.content.decode()
    )


def test_anonymous_pages_pay_no_notification_query(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        client.get(reverse("home"))


def test_opening_a_notification_marks_it_read_and_follows_its_link(owner_a: Any) -> None:
    notification = make(owner_a, link="/applications/")
    response = client_for(owner_a).post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == "/applications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_never_redirects_off_site(owner_a: Any) -> None:
    notification = make(owner_a, link="https://evil.example/")
    response = client_for(owner_a).post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_unread_count_api_counts_only_the_callers_unread(owner_a: Any, owner_b: Any, api_as: Any) -> None:
    """The number the navigation badge shows, refreshed live (realtime.js)."""
    for recipient in (owner_a, owner_a, owner_b):
        Notification.objects.create(recipient=recipient, kind="test", title="Hi", link="/applications/")
    first = Notification.objects.filter(recipient=owner_a).order_by("pk").first()
    assert first is not None
    services.notification_mark_read(user=owner_a, notification_id=first.pk)
    response = api_as(owner_a).get("/api/v1/notifications/unread/")
    assert response.status_code == 200
    assert response.json() == {"unread": 1}
