"""`{% documents_section application %}`: the documents part of an application
page, read from documents.selectors for the signed-in viewer."""

from __future__ import annotations

from typing import Any

from django import template

from documents.forms import RequestForm, UploadForm
from documents.models import Kind
from documents.selectors import documents_section
from documents.uploads import max_bytes

register = template.Library()


@register.inclusion_tag("documents/_section.html", takes_context=True)
def documents_section_for(context: template.Context, application: Any) -> dict[str, Any]:
    user = context["request"].user
    section = documents_section(user=user, application=application)
    choices = [
        (r.pk, f"{Kind(r.kind).label}{' · ' + r.note[:60] if r.note else ''}") for r in section.open_requests
    ]
    return {
        "section": section,
        "upload_form": UploadForm(requests=choices, auto_id="doc_%s") if section.can_upload else None,
        "request_form": RequestForm(auto_id="docreq_%s") if section.can_request else None,
        "max_bytes": max_bytes(),
        "csrf_token": context.get("csrf_token"),
        "is_banker": context.get("is_banker"),
    }


@register.filter
def kind_label(value: str) -> str:
    try:
        return str(Kind(value).label)
    except ValueError:
        return value
