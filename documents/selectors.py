"""Reads of documents and requests, always scoped to the viewer through the
application's own visibility (loans.selectors)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.permissions import is_banker
from b2bbank.domain_errors import NotFound
from chat.selectors import conversation_get
from loans.models import FINAL_STATUSES, LoanApplication
from loans.selectors import applications_visible_to

from .models import ChatAttachment, Document, DocumentRequest, DocumentStatus, RequestStatus
from .permissions import can_delete_document, can_request_documents, can_review_document, can_upload_document


def application_for_documents(*, user: Any, application_id: int) -> LoanApplication:
    """The application if the viewer may see its documents; NotFound otherwise.
    Only the two parties are joined (not their profiles): the upload path
    runs this twice per request (the view's 404-first check and the service)."""
    application = (
        applications_visible_to(user=user, with_tracks=False)
        .select_related(None)
        .select_related("owner", "banker")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound("No such application.")
    return application


def documents_of(*, application: LoanApplication) -> QuerySet[Document]:
    return Document.objects.filter(application=application).select_related("uploaded_by", "request")


def requests_of(*, user: Any, application: LoanApplication) -> QuerySet[DocumentRequest]:
    """The owner sees every request; a banker only the ones they made."""
    requests = DocumentRequest.objects.filter(application=application).select_related("requested_by")
    if is_banker(user):
        requests = requests.filter(requested_by_id=user.pk)
    return requests


def document_for(*, user: Any, document_id: int) -> Document:
    """One document of an application the viewer may see; NotFound otherwise."""
    document = (
        Document.objects.filter(pk=document_id, application__in=applications_visible_to(user=user))
        .select_related("application", "uploaded_by", "request")
        .first()
    )
    if document is None:
        raise NotFound("No such document.")
    return document


def attachment_for(*, user: Any, attachment_id: int) -> ChatAttachment:
    """A chat attachment in one of the viewer's conversations; NotFound otherwise."""
    attachment = ChatAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("No such attachment.")
    try:
        conversation_get(user=user, conversation_id=attachment.conversation_id)
    except NotFound:
        raise NotFound("No such attachment.") from None
    return attachment


@dataclass
class ChecklistItem:
    request: DocumentRequest
    documents: list[Document]

    @property
    def done(self) -> bool:
        return self.request.status == RequestStatus.ACCEPTED

    @property
    def last_rejection(self) -> Document | None:
        """The newest rejected file of a request that is open again (why it re-opened)."""
        if self.request.status != RequestStatus.OPEN:
            return None
        return next((d for d in self.documents if d.status == DocumentStatus.REJECTED), None)


@dataclass
class DocumentsSection:
    """Everything the documents part of an application page shows."""

    application: LoanApplication
    checklist: list[ChecklistItem]
    documents: list[Document]
    can_upload: bool
    can_request: bool
    reviewable: set[int]
    deletable: set[int]

    @property
    def open_requests(self) -> list[DocumentRequest]:
        """Requests a new file may answer: open ones, and fulfilled ones still in
        review (a tax return for two years may come as two files)."""
        wanted = (RequestStatus.OPEN, RequestStatus.FULFILLED)
        return [item.request for item in self.checklist if item.request.status in wanted]


def documents_section(*, user: Any, application: LoanApplication) -> DocumentsSection:
    """Two queries: the viewer's requests with their documents, and every document."""
    documents = list(documents_of(application=application))
    for document in documents:
        document.application = application  # already loaded; the predicates read it
    by_request: dict[int, list[Document]] = {}
    for document in documents:
        if document.request_id is not None:
            by_request.setdefault(document.request_id, []).append(document)
    checklist = [
        ChecklistItem(request=r, documents=by_request.get(r.pk, []))
        for r in requests_of(user=user, application=application)
    ]
    return DocumentsSection(
        application=application,
        checklist=checklist,
        documents=documents,
        can_upload=can_upload_document(user, application),
        can_request=can_request_documents(user, application),
        reviewable={d.pk for d in documents if can_review_document(user, d)},
        deletable={d.pk for d in documents if can_delete_document(user, d)},
    )


def requests_open_for_owner(*, owner: Any) -> list[DocumentRequest]:
    """Documents the owner's bankers asked for and nobody has sent yet, on
    applications still open (the owner's dashboard; one query), oldest first."""
    live = LoanApplication.objects.for_owner(owner).exclude(status__in=FINAL_STATUSES)
    return list(
        DocumentRequest.objects.filter(application__in=live, status=RequestStatus.OPEN)
        .select_related("application", "requested_by")
        .order_by("created_at", "id")
    )


def documents_to_review_count(*, banker: Any) -> int:
    """Documents waiting for this banker's review: received on applications
    sent to them (one query, the banker's dashboard)."""
    return Document.objects.filter(
        application__in=applications_visible_to(user=banker, with_tracks=False).values("pk"),
        status=DocumentStatus.RECEIVED,
    ).count()
