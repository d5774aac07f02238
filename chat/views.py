"""Inbox, conversation and start pages. The conversation page works without
JavaScript (plain form posts); static/js/chat.js makes it live."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.choices import Role
from accounts.permissions import role_required
from b2bbank.domain_errors import DomainError, RateLimited, TooLarge, UnsupportedType
from b2bbank.page_errors import report_domain_error
from documents.files import incoming_file

from . import attachments, selectors, services
from .api.serializers import person
from .forms import MessageForm, StartForm
from .permissions import conversation_is_read_only


@role_required(Role.BUSINESS_OWNER, Role.BANKER)
def inbox(request: HttpRequest) -> HttpResponse:
    conversations = list(selectors.conversation_list(user=request.user))
    for conversation in conversations:
        other = conversation.other_id(request.user.pk)  # type: ignore[arg-type]
        conversation.counterpart = person(  # type: ignore[attr-defined]
            conversation.banker if other == conversation.banker_id else conversation.owner
        )
    return render(request, "chat/inbox.html", {"conversations": conversations})


def _send_from_page(request: HttpRequest, conversation_id: int, data: dict[str, Any]) -> None:
    """The page form: a message, a file with an optional message, or neither (refused)."""
    upload = incoming_file(request)
    if upload is None and not data["body"]:
        raise ValidationError("Write a message or attach a file.")
    if upload is None:
        services.message_send(
            sender=request.user,
            conversation_id=conversation_id,
            body=data["body"],
            client_id=data["client_id"],
        )
    else:
        attachments.message_send_with_file(
            sender=request.user,
            conversation_id=conversation_id,
            body=data["body"],
            upload=upload,
            client_id=data["client_id"],
        )


def _send_from_form(request: HttpRequest, conversation_id: int, form: MessageForm) -> int:
    """Send the form's message: 302 when sent, else the page's status with
    the reason next to the message box (what was typed stays in it)."""
    try:
        _send_from_page(request, conversation_id, form.cleaned_data)
    except ValidationError as exc:
        form.add_error("body", exc.messages)
        return 200
    except RateLimited:
        # The per-user send limit, counted by the service (chat/rate_limit.py).
        form.add_error("body", "You are sending messages too fast. Wait a few seconds and send it again.")
        return 429
    except (TooLarge, UnsupportedType) as exc:
        form.add_error("body", exc.detail)
        return 200
    except DomainError as exc:
        form.add_error("body", exc.detail)
        return 403
    return 302


@role_required(Role.BUSINESS_OWNER, Role.BANKER)
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    try:
        convo = selectors.conversation_get(user=request.user, conversation_id=conversation_id)
    except DomainError as exc:
        report_domain_error(request, exc)
        raise  # report_domain_error raised Http404 already
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _send_from_form(request, convo.pk, form)
        if status == 302:
            return redirect("chat:conversation", conversation_id=convo.pk)
    messages, more = selectors.message_page(conversation=convo)
    messages.reverse()  # oldest at the top of the page
    viewer: int = request.user.pk  # type: ignore[assignment]
    other_id = convo.other_id(viewer)
    context = {
        "conversation": convo,
        "counterpart": person(convo.banker if other_id == convo.banker_id else convo.owner),
        "messages_": messages,
        "has_more": more,
        "form": form,
        "their_last_read": convo.last_read_of(other_id),
        "my_last_read": convo.last_read_of(viewer),
        "read_only": conversation_is_read_only(convo),
    }
    return render(request, "chat/conversation.html", context, status=status)


@role_required(Role.BUSINESS_OWNER)
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid():
        raise Http404("No such banker.")
    try:
        convo, _created = services.conversation_start(
            owner=request.user, banker_id=form.cleaned_data["banker"]
        )
    except ValidationError as exc:
        raise Http404("No such banker.") from exc
    return redirect("chat:conversation", conversation_id=convo.pk)
