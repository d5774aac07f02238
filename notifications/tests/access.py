"""Access matrix entries for notifications: everyone signed in has their own
list; opening another user's notification is 404."""

from __future__ import annotations

from typing import Any

from notifications.models import Notification
from tests.access import ANON_API, ANON_PAGE, Case, same


def seed(world: Any) -> None:
    if "notification" not in world.objects:
        world.objects["notification"] = Notification.objects.create(
            recipient=world.owner_a, kind="test", title="Hello", link="/applications/"
        )


ROUTES = {
    "notifications:list": [Case("get", same(200, anonymous=ANON_PAGE))],
    "notifications:open": [
        Case(
            "post",
            same(404, anonymous=ANON_PAGE, owner_a=302),
            kwargs=lambda w: {"pk": w.notification.pk},
        ),
        Case("get", same(405, anonymous=ANON_PAGE), kwargs=lambda w: {"pk": w.notification.pk}),
    ],
    "api:notifications-unread": [Case("get", same(200, anonymous=ANON_API), api=True)],
    "notifications:mark-all-read": [
        Case("post", same(302, anonymous=ANON_PAGE)),
        Case("get", same(405, anonymous=ANON_PAGE)),
    ],
}
