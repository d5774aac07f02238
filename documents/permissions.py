"""Who may see, give, ask for and review documents: the one place these rules live.

Everyone here has already passed the application's own visibility rule
(loans.permissions.can_view_application): anyone else gets a 404 first."""

from __future__ import annotations

from typing import Any

from accounts.permissions import is_banker, is_business_owner
from loans.models import LoanApplication, Status
from loans.permissions import can_view_application

from .models import Document, DocumentRequest, DocumentStatus, RequestStatus

# Applications that no longer take documents or requests.
CLOSED = frozenset({Status.DECLINED, Status.WITHDRAWN})


def can_view_documents(user: Any, application: LoanApplication) -> bool:
    """The application's owner, and the banker it was sent to."""
    return can_view_application(user, application)


def can_upload_document(user: Any, application: LoanApplication) -> bool:
    """The owner, while the application is not declined or withdrawn."""
    return is_business_owner(user) and application.owner_id == user.pk and application.status not in CLOSED


def can_request_documents(user: Any, application: LoanApplication) -> bool:
    """The banker the application was sent to, while it is open to documents."""
    return is_banker(user) and application.status not in CLOSED and can_view_application(user, application)


def can_review_document(user: Any, document: Document) -> bool:
    """The banker the application was sent to, once, while nobody has reviewed it."""
    application = document.application
    return (
        is_banker(user)
        and document.status == DocumentStatus.RECEIVED
        and can_view_application(user, application)
    )


def can_delete_document(user: Any, document: Document) -> bool:
    """The owner who uploaded it, while nobody has reviewed it."""
    return (
        is_business_owner(user)
        and document.uploaded_by_id == user.pk
        and document.application.owner_id == user.pk
        and document.status == DocumentStatus.RECEIVED
    )


def can_view_request(user: Any, request: DocumentRequest) -> bool:
    """The owner sees every request on the application; a banker only their own."""
    if is_business_owner(user):
        return request.application.owner_id == user.pk
    return (
        is_banker(user)
        and request.requested_by_id == user.pk
        and can_view_application(user, request.application)
    )


def can_answer_request(request: DocumentRequest) -> bool:
    """A document may answer a request that is still wanted."""
    return request.status in (RequestStatus.OPEN, RequestStatus.FULFILLED)
