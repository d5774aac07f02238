"""Access matrix entries for documents (API and pages). Seed: the loans seed
(owner A's application sent to banker X, in review) with a document and a
request on it, and a chat attachment between owner A and banker X."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from chat.tests import access as chat_access
from documents.models import ChatAttachment
from documents.tests.factories import DocumentFactory, DocumentRequestFactory, _stored_pdf
from documents.tests.samples import PDF
from loans.tests import access as loans_access
from tests.access import ANON_API, ANON_PAGE, Case, same


def seed(world: Any) -> None:
    loans_access.seed(world)
    chat_access.seed(world)
    if "document" in world.objects:
        return
    application = world.application
    world.objects["doc_request"] = DocumentRequestFactory(application=application)
    world.objects["document"] = DocumentFactory(application=application)
    world.objects["attachment"] = ChatAttachment.objects.create(
        conversation=world.conversation,
        uploaded_by=world.owner_a,
        name="plan.pdf",
        size=len(PDF),
        content_type="application/pdf",
        sha256="0" * 64,
        storage_key=_stored_pdf(None),
    )


def app(w: Any) -> dict[str, int]:
    return {"pk": w.application.pk}


def doc(w: Any) -> dict[str, int]:
    return {"pk": w.document.pk}


def a_file(w: Any) -> dict[str, Any]:
    return {"kind": "tax_return", "file": SimpleUploadedFile("return.pdf", PDF)}


def api(**expect: Any) -> dict[str, Any]:
    return same(403, anonymous=ANON_API, **expect)


def pages(**expect: Any) -> dict[str, Any]:
    return same(403, anonymous=ANON_PAGE, **expect)


PARTIES_API = api(owner_a=200, owner_b=404, banker_x=200, banker_y=404)

ROUTES = {
    "api:application-documents": [
        Case("get", PARTIES_API, kwargs=app, api=True),
        Case("post", api(owner_a=201, owner_b=404), kwargs=app, data=a_file, note="multipart upload"),
        Case(
            "get",
            api(owner_a=200, owner_b=404, banker_x=404, banker_y=404),
            kwargs=lambda w: {"pk": w.draft.pk},
            api=True,
            note="a draft is the owner's alone",
        ),
    ],
    "api:application-document-requests": [
        Case("get", PARTIES_API, kwargs=app, api=True),
        Case(
            "post",
            api(banker_x=201, banker_y=404),
            kwargs=app,
            data=lambda w: {"kind": "tax_return", "note": "2023 and 2024"},
            api=True,
        ),
    ],
    "api:document-detail": [
        Case("get", PARTIES_API, kwargs=doc, api=True),
        Case("delete", api(owner_a=204, owner_b=404), kwargs=doc, api=True),
    ],
    "api:document-download": [Case("get", PARTIES_API, kwargs=doc, api=True)],
    "api:document-review": [
        Case(
            "post",
            api(banker_x=200, banker_y=404),
            kwargs=doc,
            data=lambda w: {"decision": "accept", "note": ""},
            api=True,
        ),
    ],
    "api:attachment-download": [
        Case(
            "get",
            same(404, anonymous=ANON_API, owner_a=200, banker_x=200, staff=403),
            kwargs=lambda w: {"pk": w.attachment.pk},
            api=True,
        ),
    ],
    "documents:upload": [
        Case("post", pages(owner_a=302, owner_b=404), kwargs=app, data=a_file),
        Case("get", pages(owner_a=405, owner_b=405), kwargs=app, note="POST only"),
    ],
    "documents:request": [
        Case("post", pages(banker_x=302, banker_y=404), kwargs=app, data=lambda w: {"kind": "tax_return"}),
    ],
    "documents:review": [
        Case("post", pages(banker_x=302, banker_y=404), kwargs=doc, data=lambda w: {"decision": "accept"}),
    ],
    "documents:delete": [
        Case("post", pages(owner_a=302, owner_b=404), kwargs=doc),
    ],
}
