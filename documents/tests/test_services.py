"""documents.services: each step's row, timeline entry, audit record,
notification, email and frame; each refusal leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditRecord
from b2bbank.domain_errors import Forbidden, InvalidTransition, NotFound, TooLarge, UnsupportedType
from documents import services
from documents.models import Document, DocumentRequest, DocumentStatus, RequestStatus
from documents.tests import samples
from documents.tests.conftest import stored
from documents.tests.factories import DocumentFactory, DocumentRequestFactory
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from notifications.models import Notification
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db


def upload(actor: Any, application: Any, **kwargs: Any) -> Document:
    kwargs.setdefault("kind", "bank_statements")
    kwargs.setdefault("upload", samples.upload())
    return services.document_upload(actor=actor, application_id=application.pk, **kwargs)


def test_upload_stores_the_file_under_a_random_key_and_tells_the_banker(
    owner_a: Any,
    banker_x: Any,
    application: Any,
    document_root: Path,
    published: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(owner_a, application, upload=samples.upload(name="March statement.pdf"))
    assert (document.name, document.content_type, document.status) == (
        "March statement.pdf",
        "application/pdf",
        "received",
    )
    assert document.size == len(samples.PDF)
    files = stored(document_root)
    assert [f.relative_to(document_root).as_posix() for f in files] == [document.storage_key]
    assert "statement" not in document.storage_key.lower()
    assert files[0].read_bytes() == samples.PDF
    event = application.events.get()
    assert event.from_status == event.to_status == Status.IN_REVIEW
    assert "March statement.pdf" in event.note
    assert AuditRecord.objects.filter(action="document.upload", target_id=str(document.pk)).exists()
    assert Notification.objects.get().recipient == banker_x
    assert send_queued_emails() == 1
    assert [m.to for m in mail.outbox] == [[banker_x.email]]
    assert [(ids, frame["type"]) for ids, frame in published] == [([banker_x.pk], "document.new")]


def test_upload_against_a_request_fulfils_it(owner_a: Any, application: Any) -> None:
    request = DocumentRequestFactory(application=application)
    upload(owner_a, application, request_id=request.pk, kind="tax_return")
    request.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED


def test_an_upload_to_a_draft_tells_nobody(
    owner_a: Any, banker_x: Any, published: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    draft = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner_a, draft)
    assert Notification.objects.count() == 0
    assert published == []


@pytest.mark.parametrize(
    ("who", "change", "error"),
    [
        ("banker_x", {}, Forbidden),
        ("owner_b", {}, NotFound),
        ("owner_a", {"kind": "passport"}, ValidationError),
        ("owner_a", {"upload": None}, ValidationError),
        ("owner_a", {"upload": samples.upload(b"")}, ValidationError),
        ("owner_a", {"upload": samples.upload(samples.HTML_AS_PDF)}, UnsupportedType),
        ("owner_a", {"upload": samples.upload(samples.PE, "setup.pdf")}, UnsupportedType),
        ("owner_a", {"upload": samples.upload(samples.SVG, "logo.png", "image/png")}, UnsupportedType),
    ],
    ids=["banker", "other-owner", "unknown-kind", "no-file", "empty", "html", "pe", "svg"],
)
def test_a_refused_upload_leaves_no_row_and_no_file(
    who: str,
    change: dict[str, Any],
    error: type[Exception],
    world: Any,
    application: Any,
    document_root: Path,
) -> None:
    with pytest.raises(error):
        upload(world.users[who], application, **change)
    assert Document.objects.count() == 0
    assert stored(document_root) == []
    assert application.events.count() == 0


def test_a_file_over_the_limit_is_refused(
    owner_a: Any, application: Any, settings: Any, document_root: Path
) -> None:
    settings.B2BBANK_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(TooLarge):
        upload(owner_a, application, upload=samples.upload(samples.PDF + b" " * 200))
    assert stored(document_root) == []


def test_a_request_of_another_application_is_refused(
    owner_a: Any, application: Any, document_root: Path
) -> None:
    other = DocumentRequestFactory(application=ApplicationFactory(owner=owner_a))
    with pytest.raises(ValidationError) as refused:
        upload(owner_a, application, request_id=other.pk)
    assert "request" in refused.value.message_dict
    assert stored(document_root) == []


def test_a_closed_application_takes_no_documents(owner_a: Any, banker_x: Any, document_root: Path) -> None:
    closed = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.WITHDRAWN)
    with pytest.raises(InvalidTransition):
        upload(owner_a, closed)
    assert stored(document_root) == []


def test_the_file_is_deleted_when_the_transaction_fails(
    owner_a: Any, application: Any, document_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_log", broken)
    with pytest.raises(RuntimeError):
        upload(owner_a, application)
    assert Document.objects.count() == 0
    assert stored(document_root) == []


def test_accepting_closes_the_request_and_tells_the_owner(
    owner_a: Any,
    banker_x: Any,
    application: Any,
    published: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = DocumentRequestFactory(application=application, status=RequestStatus.FULFILLED)
    document = DocumentFactory(application=application, request=request)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_review(actor=banker_x, document_id=document.pk, decision="accept", note="Thanks")
    document.refresh_from_db()
    request.refresh_from_db()
    assert (document.status, document.review_note, document.reviewed_by) == ("accepted", "Thanks", banker_x)
    assert request.status == RequestStatus.ACCEPTED
    assert [(ids, frame["type"]) for ids, frame in published] == [([owner_a.pk], "document.reviewed")]
    assert Notification.objects.get().recipient == owner_a
    assert AuditRecord.objects.filter(action="document.accepted").exists()


def test_rejecting_reopens_the_request(banker_x: Any, application: Any) -> None:
    request = DocumentRequestFactory(application=application, status=RequestStatus.FULFILLED)
    document = DocumentFactory(application=application, request=request)
    services.document_review(actor=banker_x, document_id=document.pk, decision="reject", note="Unsigned.")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_rejecting_needs_a_note_and_changes_nothing(banker_x: Any, application: Any) -> None:
    document = DocumentFactory(application=application)
    with pytest.raises(ValidationError):
        services.document_review(actor=banker_x, document_id=document.pk, decision="reject", note=" ")
    document.refresh_from_db()
    assert document.status == DocumentStatus.RECEIVED


@pytest.mark.parametrize(
    ("who", "error"), [("owner_a", Forbidden), ("banker_y", NotFound), ("owner_b", NotFound)]
)
def test_only_the_applications_banker_reviews(
    who: str, error: type[Exception], world: Any, application: Any
) -> None:
    document = DocumentFactory(application=application)
    with pytest.raises(error):
        services.document_review(actor=world.users[who], document_id=document.pk, decision="accept")
    document.refresh_from_db()
    assert document.status == DocumentStatus.RECEIVED


def test_a_document_is_reviewed_once(banker_x: Any, application: Any) -> None:
    document = DocumentFactory(application=application, status=DocumentStatus.ACCEPTED)
    with pytest.raises(InvalidTransition):
        services.document_review(
            actor=banker_x, document_id=document.pk, decision="reject", note="Changed my mind"
        )


def test_the_owner_deletes_an_unreviewed_document_and_its_file_after_commit(
    owner_a: Any, application: Any, document_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    request = DocumentRequestFactory(application=application, status=RequestStatus.FULFILLED)
    document = DocumentFactory(application=application, request=request)
    assert len(stored(document_root)) == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_delete(actor=owner_a, document_id=document.pk)
    assert len(stored(document_root)) == 1, "the file stays until the deletion commits"
    for callback in callbacks:
        callback()
    assert stored(document_root) == []
    assert not Document.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_a_reviewed_document_cannot_be_deleted(owner_a: Any, application: Any, document_root: Path) -> None:
    document = DocumentFactory(application=application, status=DocumentStatus.ACCEPTED)
    with pytest.raises(InvalidTransition):
        services.document_delete(actor=owner_a, document_id=document.pk)
    assert Document.objects.filter(pk=document.pk).exists()
    assert len(stored(document_root)) == 1


def test_the_banker_asks_and_the_owner_is_told(
    owner_a: Any,
    banker_x: Any,
    application: Any,
    published: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    due = timezone.localdate() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.document_request_create(
            actor=banker_x,
            application_id=application.pk,
            kind="tax_return",
            note="2023 and 2024",
            due_date=due,
        )
    assert (request.status, request.requested_by, request.due_date) == ("open", banker_x, due)
    assert [(ids, frame["type"]) for ids, frame in published] == [([owner_a.pk], "document_request.new")]
    assert "tax return" in application.events.get().note
    assert send_queued_emails() == 1
    assert [m.to for m in mail.outbox] == [[owner_a.email]]


@pytest.mark.parametrize(
    ("who", "change", "error"),
    [
        ("owner_a", {}, Forbidden),
        ("banker_y", {}, NotFound),
        ("banker_x", {"kind": "selfie"}, ValidationError),
        ("banker_x", {"due_date": timezone.localdate() - timedelta(days=1)}, ValidationError),
    ],
)
def test_refused_requests_create_nothing(
    who: str, change: dict[str, Any], error: type[Exception], world: Any, application: Any
) -> None:
    with pytest.raises(error):
        services.document_request_create(
            actor=world.users[who], application_id=application.pk, **{"kind": "tax_return", **change}
        )
    assert DocumentRequest.objects.count() == 0
