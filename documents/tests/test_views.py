"""Document pages: the section on the application page for each side, the
plain-form upload (no JavaScript), requests and reviews, and the admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Document, DocumentRequest, RequestStatus
from documents.tests import samples
from documents.tests.conftest import stored
from documents.tests.factories import DocumentFactory, DocumentRequestFactory

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, application: Any) -> str:
    response = client.get(reverse("loans:detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_owner_sees_the_checklist_and_the_upload_form(owner_a: Any, application: Any) -> None:
    DocumentRequestFactory(application=application, note="Signed, both years")
    html = page(signed_in(owner_a), application)
    assert "What your banker asked for" in html
    assert "Signed, both years" in html
    assert 'enctype="multipart/form-data"' in html
    assert "Ask for a document" not in html


def test_banker_sees_the_request_form_and_review_buttons(banker_x: Any, application: Any) -> None:
    DocumentFactory(application=application, name="q3.pdf")
    html = page(signed_in(banker_x), application)
    assert "Ask for a document" in html
    assert "q3.pdf" in html
    assert "Reject document" in html
    assert "multipart/form-data" not in html


def test_the_application_page_has_a_fixed_number_of_queries(
    owner_a: Any, application: Any, django_assert_num_queries: Any
) -> None:
    client = signed_in(owner_a)
    DocumentRequestFactory(application=application)
    DocumentFactory(application=application)
    page(client, application)  # warm the session
    # the loans page with its tracks and offers (10), whatever the number of documents
    with django_assert_num_queries(10):
        page(client, application)
    for _ in range(4):
        request = DocumentRequestFactory(application=application)
        DocumentFactory(application=application, request=request)
    with django_assert_num_queries(10):
        page(client, application)


def test_plain_form_upload_without_javascript(owner_a: Any, application: Any, document_root: Path) -> None:
    request = DocumentRequestFactory(application=application)
    client = signed_in(owner_a)
    response = client.post(
        reverse("documents:upload", args=[application.pk]),
        {
            "kind": "tax_return",
            "request": request.pk,
            "file": samples.upload(samples.office("xl"), "aging.xlsx"),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"/applications/{application.pk}/#documents")
    assert "aging.xlsx was uploaded" in response.content.decode()
    document = Document.objects.get()
    assert document.content_type.endswith("spreadsheetml.sheet")
    request.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED
    assert len(stored(document_root)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "other", "file": samples.upload(samples.HTML_AS_PDF)}, "This file type is not accepted"),
        ({"kind": "other", "file": samples.upload(b"")}, "The file is empty"),
        ({"kind": "other"}, "Choose a file"),
        ({"file": samples.upload()}, "Kind of document"),
    ],
    ids=["wrong-type", "empty", "no-file", "no-kind"],
)
def test_a_refused_page_upload_says_why_and_stores_nothing(
    data: dict[str, Any], message: str, owner_a: Any, application: Any, document_root: Path
) -> None:
    response = signed_in(owner_a).post(reverse("documents:upload", args=[application.pk]), data, follow=True)
    assert message in response.content.decode()
    assert Document.objects.count() == 0
    assert stored(document_root) == []


def test_a_page_upload_over_the_limit_says_so(
    owner_a: Any, application: Any, document_root: Path, settings: Any
) -> None:
    settings.B2BBANK_DOCUMENT_MAX_BYTES = 1000
    data = {"kind": "other", "file": samples.upload(samples.PDF + b"0" * 4000)}
    response = signed_in(owner_a).post(reverse("documents:upload", args=[application.pk]), data, follow=True)
    assert "larger than" in response.content.decode()
    assert stored(document_root) == []


def test_banker_asks_and_reviews_through_the_page(banker_x: Any, application: Any) -> None:
    client = signed_in(banker_x)
    client.post(
        reverse("documents:request", args=[application.pk]), {"kind": "debt_schedule", "note": "All loans"}
    )
    request = DocumentRequest.objects.get()
    assert (request.kind, request.note) == ("debt_schedule", "All loans")
    document = DocumentFactory(application=application, request=request)
    response = client.post(
        reverse("documents:review", args=[document.pk]), {"decision": "reject", "note": "Blurry"}, follow=True
    )
    assert "is rejected" in response.content.decode()
    document.refresh_from_db()
    assert (document.status, document.review_note) == ("rejected", "Blurry")


def test_admin_lists_documents_read_only_without_their_contents(staff: Any, application: Any) -> None:
    document = DocumentFactory(application=application)
    client = signed_in(staff)
    listing = client.get(reverse("admin:documents_document_changelist"))
    assert listing.status_code == 200
    assert document.sha256 in listing.content.decode()
    detail = client.get(reverse("admin:documents_document_change", args=[document.pk])).content.decode()
    assert document.sha256 in detail
    assert reverse("api:document-download", args=[document.pk]) not in detail
    assert document.storage_key not in detail
    assert client.post(reverse("admin:documents_document_delete", args=[document.pk])).status_code == 403


def test_a_rejected_file_reopens_the_item_and_says_why(owner_a: Any, application: Any) -> None:
    request = DocumentRequestFactory(application=application, status=RequestStatus.OPEN)
    DocumentFactory(
        application=application, request=request, status="rejected", review_note="Unsigned", name="r.pdf"
    )
    html = page(signed_in(owner_a), application)
    assert "r.pdf was rejected: Unsigned. Please upload a new file." in html
