"""The dashboards: what needs the signed-in person now. Each composes the
owning apps' selectors (loans, documents, chat); counts refresh live
(static/js/live_page.js refetches the page when a frame about their work arrives)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chat.selectors import conversations_with_unread
from documents.selectors import documents_to_review_count, requests_open_for_owner
from loans.dashboards import banker_work, owner_work

from .choices import Role
from .models import User
from .permissions import role_required
from .views import verification_context

UNREAD_SHOWN = 5


def _unread(user: User) -> dict[str, object]:
    conversations = conversations_with_unread(user=user)
    return {
        "unread_total": sum(c.unread for c in conversations),  # type: ignore[attr-defined]
        "unread_conversations": conversations[:UNREAD_SHOWN],
    }


@role_required(Role.BUSINESS_OWNER)
def owner_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "profile": user.owner_profile,
        "work": owner_work(owner=user),
        "document_requests": requests_open_for_owner(owner=user),
        **_unread(user),
    }
    return render(request, "accounts/owner_home.html", context)


@role_required(Role.BANKER)
def banker_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        **verification_context(user),
        "work": banker_work(banker=user),
        "documents_to_review": documents_to_review_count(banker=user),
        **_unread(user),
    }
    return render(request, "accounts/banker_home.html", context)
