"""Each user's time zone: every time is shown in it (pages, live chat,
notifications), named where it matters. Picked up from the browser at
sign-up, editable on the profile; visitors see UTC, labelled.

Zones are IANA names checked against `zoneinfo.available_timezones()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

DEFAULT = "UTC"


@cache
def known_zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


@cache
def zone_choices() -> list[tuple[str, str]]:
    """The choices a page offers, readable ("America/Los Angeles")."""
    return [(name, name.replace("_", " ")) for name in sorted(known_zones())]


def validate_time_zone(value: str) -> None:
    if value not in known_zones():
        raise ValidationError(
            "Choose a time zone from the list (an IANA name such as America/Los_Angeles).",
            code="unknown_time_zone",
        )


def zone_or_default(value: str | None) -> str:
    """A zone a browser reported, or UTC when it sent none or one we do not know
    (a sign-up is never refused over a hidden field)."""
    return value if value and value in known_zones() else DEFAULT


def zone_of(user: Any) -> ZoneInfo:
    return ZoneInfo(zone_or_default(getattr(user, "time_zone", None)))


def local_text(moment: datetime, user: Any) -> str:
    """ "Dec 3, 2026, 14:00 PST": a time for text (emails, notifications) in the
    reader's zone, its zone named."""
    local = timezone.localtime(moment, zone_of(user))
    return f"{local:%b} {local.day}, {local:%Y, %H:%M} {local.tzname()}"


class TimeZoneMiddleware:
    """Activates the signed-in user's zone for the request (UTC otherwise), so
    templates and forms show local times; after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
