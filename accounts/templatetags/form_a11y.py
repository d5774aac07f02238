"""Renders a form widget with its help text and errors announced by screen
readers (aria-describedby), which Django does for help text only."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def accessible_widget(field: BoundField) -> SafeString:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)} if ids else None)
