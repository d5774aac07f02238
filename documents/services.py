"""Every write to documents and document requests. Each step is one
transaction: the row, a timeline entry on the application (loans.services),
an audit record, and, after commit, an in-app notification with email and a
realtime frame for the other party. Files are stored before the transaction
and deleted again if it fails, so a refused or failed upload leaves nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import is_banker, is_business_owner
from audit.services import audit_log
from b2bbank.domain_errors import Forbidden, InvalidTransition
from b2bbank.realtime import publish_on_commit
from loans.models import LoanApplication, Status
from loans.selectors import application_live_bankers
from loans.services import application_timeline_add
from notifications.services import notification_create

from . import events
from .files import CheckedFile, check_upload, file_delete_now, file_delete_on_commit, file_store
from .models import ChatAttachment, Document, DocumentRequest, DocumentStatus, Kind, RequestStatus
from .permissions import (
    can_answer_request,
    can_delete_document,
    can_request_documents,
    can_review_document,
    can_upload_document,
)
from .selectors import application_for_documents, document_for

T = TypeVar("T")


class Decision:
    ACCEPT = "accept"
    REJECT = "reject"
    CHOICES = (ACCEPT, REJECT)


def _who(user: Any) -> str:
    return str(user.get_full_name() or user.email)


def _tell(
    *, recipient: Any, kind: str, title: str, body: str, application: LoanApplication, frame: dict[str, Any]
) -> None:
    """The other party hears about it: in the app, by email, and on their open
    sockets. A draft is the owner's alone, so its preselected banker hears nothing."""
    if recipient is None or application.status == Status.DRAFT:
        return
    notification_create(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        link=reverse("loans:detail", args=[application.pk]),
    )
    publish_on_commit([recipient.pk], frame)


def _stored(checked: CheckedFile, write: Callable[[str], T]) -> T:
    """Store the bytes, then run `write(key)` in a transaction; if it fails the
    bytes are deleted again (nothing is left behind)."""
    key = file_store(checked)
    try:
        with transaction.atomic():
            return write(key)
    except BaseException:
        file_delete_now(key)
        raise


def _check_kind(kind: str) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": ["Choose what kind of document this is."]})


def _answered_request(application: LoanApplication, request_id: int | None) -> DocumentRequest | None:
    if request_id is None:
        return None
    request = DocumentRequest.objects.filter(pk=request_id, application=application).first()
    if request is None:
        raise ValidationError({"request": ["No such request on this application."]})
    if not can_answer_request(request):
        raise ValidationError({"request": ["This request is closed; upload without it."]})
    return request


def document_upload(
    *, actor: Any, application_id: int, kind: str, upload: UploadedFile | None, request_id: int | None = None
) -> Document:
    """The owner gives a document for an application, optionally answering one of
    the banker's requests (which becomes `fulfilled`). The type is sniffed from
    the bytes; 400 missing/empty, 413 too large, 415 not an accepted format."""
    application = application_for_documents(user=actor, application_id=application_id)
    if not is_business_owner(actor):
        raise Forbidden("Only the applicant uploads documents.")
    if not can_upload_document(actor, application):
        raise InvalidTransition("This application no longer takes documents.")
    _check_kind(kind)
    answered = _answered_request(application, request_id)
    checked = check_upload(upload)

    def write(key: str) -> Document:
        request = None
        if answered is not None:
            request = DocumentRequest.objects.select_for_update().get(pk=answered.pk)
            if not can_answer_request(request):
                raise ValidationError({"request": ["This request is closed; upload without it."]})
        document = Document.objects.create(
            application=application,
            uploaded_by=actor,
            kind=kind,
            request=request,
            name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
            sha256=checked.sha256,
            storage_key=key,
        )
        if request is not None and request.status == RequestStatus.OPEN:
            request.status = RequestStatus.FULFILLED
            request.save(update_fields=["status", "updated_at"])
        label = Kind(kind).label
        application_timeline_add(
            actor=actor, application=application, note=f"Uploaded {label.lower()}: {checked.name}"
        )
        audit_log(
            action="document.upload",
            actor=actor,
            target=document,
            after={
                "application": application.pk,
                "kind": kind,
                "sha256": checked.sha256,
                "size": checked.size,
            },
        )
        for banker in application_live_bankers(application=application):
            _tell(
                recipient=banker,
                kind="document.new",
                title=f"{_who(actor)} uploaded {label.lower()} for {application.reference}",
                body=f"{checked.name} ({checked.size:,} bytes) is ready for your review.",
                application=application,
                frame=events.document_new(document),
            )
        return document

    return _stored(checked, write)


def _reopen_if_unanswered(request: DocumentRequest | None, *, without: int) -> None:
    """A request whose documents were all rejected or deleted is open again."""
    if request is None:
        return
    request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.FULFILLED:
        return
    pending = request.documents.exclude(pk=without).filter(status=DocumentStatus.RECEIVED).exists()
    if not pending:
        request.status = RequestStatus.OPEN
        request.save(update_fields=["status", "updated_at"])


@transaction.atomic
def document_review(*, actor: Any, document_id: int, decision: str, note: str = "") -> Document:
    """The banker accepts or rejects a received document with a note (required
    to reject). Accepting closes its request; rejecting opens it again."""
    document_for(user=actor, document_id=document_id)  # 404 before anything else
    if not is_banker(actor):
        raise Forbidden("Only the banker reviews documents.")
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("application__owner", "request")
        .get(pk=document_id)
    )
    if not can_review_document(actor, document):
        raise InvalidTransition("This document has already been reviewed.")
    if decision not in Decision.CHOICES:
        raise ValidationError({"decision": ["Choose accept or reject."]})
    if decision == Decision.REJECT and not note.strip():
        raise ValidationError({"note": ["Say what is wrong, so the applicant can send a better one."]})
    document.status = DocumentStatus.ACCEPTED if decision == Decision.ACCEPT else DocumentStatus.REJECTED
    document.review_note, document.reviewed_by, document.reviewed_at = note, actor, timezone.now()
    document.full_clean(
        exclude=["application", "uploaded_by", "request", "reviewed_by"], validate_constraints=False
    )
    document.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    if document.request is not None and decision == Decision.ACCEPT:
        DocumentRequest.objects.filter(pk=document.request.pk).update(
            status=RequestStatus.ACCEPTED, updated_at=timezone.now()
        )
    elif decision == Decision.REJECT:
        _reopen_if_unanswered(document.request, without=document.pk)
    application = document.application
    verb = "accepted" if decision == Decision.ACCEPT else "rejected"
    application_timeline_add(
        actor=actor,
        application=application,
        note=f"{verb.capitalize()} {document.name}" + (f": {note}" if note else ""),
        banker_id=actor.pk,
    )
    audit_log(
        action=f"document.{verb}",
        actor=actor,
        target=document,
        before={"status": "received"},
        after={"status": document.status},
    )
    _tell(
        recipient=application.owner,
        kind="document.reviewed",
        title=f"{_who(actor)} {verb} {document.name}",
        body=note or f"{document.name} was {verb} for {application.reference}.",
        application=application,
        frame=events.document_reviewed(document),
    )
    return document


@transaction.atomic
def document_delete(*, actor: Any, document_id: int) -> None:
    """The owner takes back a document nobody has reviewed yet; its file leaves
    storage once the deletion commits."""
    document_for(user=actor, document_id=document_id)
    if not is_business_owner(actor):
        raise Forbidden("Only the applicant deletes their documents.")
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("application", "request")
        .get(pk=document_id)
    )
    if not can_delete_document(actor, document):
        raise InvalidTransition("A reviewed document stays on the application.")
    key, request, name = document.storage_key, document.request, document.name
    audit_log(
        action="document.delete",
        actor=actor,
        target=document,
        before={"name": name, "sha256": document.sha256},
    )
    document.delete()
    _reopen_if_unanswered(request, without=document_id)
    application_timeline_add(actor=actor, application=document.application, note=f"Deleted {name}")
    file_delete_on_commit(key)


@transaction.atomic
def document_request_create(
    *, actor: Any, application_id: int, kind: str, note: str = "", due_date: date | None = None
) -> DocumentRequest:
    """The banker asks the owner for a kind of document, with a note and an
    optional due date; the owner sees it on their checklist."""
    application = application_for_documents(user=actor, application_id=application_id)
    if not is_banker(actor):
        raise Forbidden("Only the banker asks for documents.")
    if not can_request_documents(actor, application):
        raise InvalidTransition("This application no longer takes document requests.")
    _check_kind(kind)
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": ["The due date is in the past."]})
    request = DocumentRequest(
        application=application, requested_by=actor, kind=kind, note=note, due_date=due_date
    )
    request.full_clean(exclude=["application", "requested_by"], validate_constraints=False)
    request.save()
    label = Kind(kind).label
    application_timeline_add(
        actor=actor,
        application=application,
        note=f"Asked for {label.lower()}" + (f": {note}" if note else ""),
        banker_id=actor.pk,
    )
    audit_log(
        action="document_request.create",
        actor=actor,
        target=request,
        after={"application": application.pk, "kind": kind},
    )
    due = f"\nDue by {due_date:%b %d, %Y}." if due_date else ""
    _tell(
        recipient=application.owner,
        kind="document_request.new",
        title=f"{_who(actor)} asks for {label.lower()} for {application.reference}",
        body=f"{note}{due}".strip() or f"Upload it on {application.reference}.",
        application=application,
        frame=events.document_request_new(request),
    )
    return request


def chat_attachment_check(upload: UploadedFile | None) -> CheckedFile:
    """The same checks as for documents (400 / 413 / 415)."""
    return check_upload(upload)


def chat_attachment_store(
    *, actor: Any, conversation_id: int, checked: CheckedFile, then: Callable[[ChatAttachment], T]
) -> T:
    """Store a chat file and create its row, then run `then(attachment)` (the
    message send) in the same transaction; if anything fails, nothing stays."""

    def write(key: str) -> T:
        attachment = ChatAttachment.objects.create(
            conversation_id=conversation_id,
            uploaded_by=actor,
            name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
            sha256=checked.sha256,
            storage_key=key,
        )
        audit_log(
            action="chat_attachment.upload",
            actor=actor,
            target=attachment,
            after={"conversation": conversation_id, "sha256": checked.sha256, "size": checked.size},
        )
        return then(attachment)

    return _stored(checked, write)
