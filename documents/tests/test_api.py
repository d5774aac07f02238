"""The documents API per DESIGN.md: shapes, downloads, and every bad input
refused with its status and nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from documents.models import Document, DocumentRequest
from documents.tests import samples
from documents.tests.conftest import stored
from documents.tests.factories import DocumentFactory, DocumentRequestFactory
from loans.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

DOCUMENT_KEYS = {
    "id",
    "application",
    "kind",
    "name",
    "size",
    "content_type",
    "sha256",
    "status",
    "review_note",
    "request",
    "uploaded_by",
    "created_at",
    "reviewed_at",
}


def documents_url(application: Any) -> str:
    return reverse("api:application-documents", args=[application.pk])


def post_file(
    client: Any, application: Any, content: bytes = samples.PDF, name: str = "statement.pdf", **fields: Any
) -> Any:
    data = {"kind": "bank_statements", "file": samples.upload(content, name), **fields}
    return client.post(documents_url(application), data, format="multipart")


def test_owner_uploads_and_both_sides_list_and_read_it(
    api_as: Any, owner_a: Any, banker_x: Any, application: Any
) -> None:
    response = post_file(api_as(owner_a), application, name="Bank statement März.pdf")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == DOCUMENT_KEYS
    assert body["content_type"] == "application/pdf"
    assert (body["status"], body["uploaded_by"], body["request"]) == ("received", owner_a.pk, None)
    for user in (owner_a, banker_x):
        listed = api_as(user).get(documents_url(application))
        assert [d["id"] for d in listed.json()] == [body["id"]]
        one = api_as(user).get(reverse("api:document-detail", args=[body["id"]]))
        assert one.json() == body


def test_the_client_cannot_choose_the_content_type(api_as: Any, owner_a: Any, application: Any) -> None:
    data = {"kind": "other", "file": samples.upload(samples.png(), "photo.pdf", "application/pdf")}
    response = api_as(owner_a).post(documents_url(application), data, format="multipart")
    assert response.json()["content_type"] == "image/png"


@pytest.mark.parametrize(
    ("content", "name", "fields", "status"),
    [
        (samples.HTML_AS_PDF, "statement.pdf", {}, 415),
        (samples.PE, "statement.pdf", {}, 415),
        (samples.SVG, "logo.svg", {}, 415),
        (b"", "empty.pdf", {}, 400),
        (samples.PDF, "statement.pdf", {"kind": "passport"}, 400),
        (samples.PDF, "statement.pdf", {"request": 999999}, 400),
        (samples.PDF, "statement.pdf", {"colour": "red"}, 400),
    ],
    ids=["html-named-pdf", "pe-binary", "svg", "empty", "unknown-kind", "unknown-request", "unknown-field"],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    content: bytes,
    name: str,
    fields: dict[str, Any],
    status: int,
    api_as: Any,
    owner_a: Any,
    application: Any,
    document_root: Path,
) -> None:
    response = post_file(api_as(owner_a), application, content, name, **fields)
    assert response.status_code == status, response.content
    assert Document.objects.count() == 0
    assert stored(document_root) == []


def test_a_missing_kind_is_400(api_as: Any, owner_a: Any, application: Any, document_root: Path) -> None:
    response = api_as(owner_a).post(
        documents_url(application), {"file": samples.upload()}, format="multipart"
    )
    assert response.status_code == 400
    assert "kind" in response.json()
    assert stored(document_root) == []


def test_a_request_of_another_application_is_400(
    api_as: Any, owner_a: Any, application: Any, document_root: Path
) -> None:
    other = DocumentRequestFactory(application=ApplicationFactory(owner=owner_a))
    response = post_file(api_as(owner_a), application, request=other.pk)
    assert response.status_code == 400
    assert "request" in response.json()
    assert stored(document_root) == []


def test_a_file_over_the_limit_is_413_and_stops_the_body(
    api_as: Any, owner_a: Any, application: Any, document_root: Path, settings: Any
) -> None:
    settings.B2BBANK_DOCUMENT_MAX_BYTES = 1000
    response = post_file(api_as(owner_a), application, samples.PDF + b"0" * 5000)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert stored(document_root) == []


def test_a_body_declared_over_the_limit_is_413_before_it_is_read(
    api_as: Any, owner_a: Any, application: Any, document_root: Path
) -> None:
    response = api_as(owner_a).generic(
        "POST",
        documents_url(application),
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(30 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert stored(document_root) == []


def test_hostile_names_are_stored_safely_and_sent_back_harmlessly(
    api_as: Any, owner_a: Any, application: Any, document_root: Path
) -> None:
    hostile = "../../etc/\u202ecod.exe\x00" + "ü" * 300 + ".pdf"
    response = post_file(api_as(owner_a), application, name=hostile)
    assert response.status_code == 201
    name = response.json()["name"]
    for bad in ("/", "\x00", "\u202e"):
        assert bad not in name
    assert len(name) <= 255
    assert name.endswith(".pdf")
    [path] = stored(document_root)
    assert path.resolve().is_relative_to(document_root.resolve())
    download = api_as(owner_a).get(reverse("api:document-download", args=[response.json()["id"]]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert quote(name) in disposition
    assert "\n" not in disposition
    assert "\u202e" not in disposition


def test_download_is_an_attachment_with_nosniff(
    api_as: Any, owner_a: Any, banker_x: Any, application: Any
) -> None:
    document = DocumentFactory(application=application, name="statement.pdf")
    for user in (owner_a, banker_x):
        response = api_as(user).get(reverse("api:document-download", args=[document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == samples.PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].startswith("sandbox")
        assert "no-store" in response["Cache-Control"]


def test_inline_view_only_for_pdf_and_images(api_as: Any, owner_a: Any, application: Any) -> None:
    pdf = DocumentFactory(application=application)
    csv = DocumentFactory(application=application, content_type="text/csv", name="aging.csv")
    url = reverse("api:document-download", args=[pdf.pk]) + "?disposition=inline"
    assert api_as(owner_a).get(url)["Content-Disposition"].startswith("inline")
    url = reverse("api:document-download", args=[csv.pk]) + "?disposition=inline"
    assert api_as(owner_a).get(url)["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["owner_b", "banker_y"])
def test_another_users_document_or_application_is_404(
    who: str, world: Any, application: Any, api_as: Any
) -> None:
    document = DocumentFactory(application=application)
    client = api_as(world.users[who])
    for url in (
        reverse("api:document-detail", args=[document.pk]),
        reverse("api:document-download", args=[document.pk]),
        documents_url(application),
    ):
        assert client.get(url).status_code == 404


def test_owner_calling_review_is_403_and_nothing_changes(api_as: Any, owner_a: Any, application: Any) -> None:
    document = DocumentFactory(application=application)
    response = api_as(owner_a).post(
        reverse("api:document-review", args=[document.pk]), {"decision": "accept"}, format="json"
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == "received"


def test_banker_reviews_once(api_as: Any, banker_x: Any, application: Any) -> None:
    document = DocumentFactory(application=application)
    url = reverse("api:document-review", args=[document.pk])
    client = api_as(banker_x)
    assert (
        client.post(url, {"decision": "reject"}, format="json").status_code == 400
    )  # a rejection needs a note
    answer = client.post(url, {"decision": "reject", "note": "Page 2 is missing."}, format="json")
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["review_note"]) == ("rejected", "Page 2 is missing.")
    assert client.post(url, {"decision": "accept"}, format="json").status_code == 409


def test_owner_deletes_an_unreviewed_document(
    api_as: Any, owner_a: Any, application: Any, document_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    document = DocumentFactory(application=application)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(owner_a).delete(reverse("api:document-detail", args=[document.pk]))
    assert response.status_code == 204
    assert stored(document_root) == []


def test_requests_banker_asks_owner_lists(api_as: Any, owner_a: Any, banker_x: Any, application: Any) -> None:
    url = reverse("api:application-document-requests", args=[application.pk])
    created = api_as(banker_x).post(
        url, {"kind": "tax_return", "note": "2023 and 2024", "due_date": None}, format="json"
    )
    assert created.status_code == 201, created.content
    assert set(created.json()) == {
        "id",
        "application",
        "kind",
        "note",
        "due_date",
        "status",
        "requested_by",
        "created_at",
    }
    assert [r["id"] for r in api_as(owner_a).get(url).json()] == [created.json()["id"]]
    assert api_as(owner_a).post(url, {"kind": "tax_return"}, format="json").status_code == 403
    assert DocumentRequest.objects.count() == 1


def test_list_endpoints_have_a_fixed_number_of_queries(
    api_as: Any, owner_a: Any, application: Any, django_assert_num_queries: Any
) -> None:
    client = api_as(owner_a)
    DocumentFactory(application=application)
    DocumentRequestFactory(application=application)
    # the owner's application (with parties) and the rows
    with django_assert_num_queries(2):
        client.get(documents_url(application))
    with django_assert_num_queries(2):
        client.get(reverse("api:application-document-requests", args=[application.pk]))
    for _ in range(4):
        DocumentFactory(application=application)
        DocumentRequestFactory(application=application)
    with django_assert_num_queries(2):
        assert len(client.get(documents_url(application)).json()) == 5
    with django_assert_num_queries(2):
        assert (
            len(client.get(reverse("api:application-document-requests", args=[application.pk])).json()) == 5
        )
