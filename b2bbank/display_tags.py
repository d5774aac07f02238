"""Template filters for b2bbank.display (registered as the `display` library)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from b2bbank import display

register = template.Library()


@register.filter
def money(value: Decimal | None, places: int = 2) -> str:
    return display.format_money(value, places=int(places))


@register.filter
def excerpt(value: str | None, limit: int = 200) -> str:
    return display.excerpt(value or "", int(limit))


@register.filter
def waiting_for(value: datetime) -> str:
    return display.waiting_for(value)


@register.filter
def linkify(value: str | None) -> SafeString:
    return display.linkify(value or "")
