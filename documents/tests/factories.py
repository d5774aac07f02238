"""factory_boy factories: rows written directly (any state), with a real file
in the documents storage so downloads work."""

from __future__ import annotations

import hashlib
import secrets

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from documents.models import Document, DocumentRequest, Kind
from documents.tests.samples import PDF
from loans.tests.factories import ApplicationFactory


def _stored_pdf(_: object) -> str:
    key = secrets.token_hex(16)
    return storages["documents"].save(f"{key[:2]}/{key}", ContentFile(PDF))


class DocumentRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentRequest

    application = factory.SubFactory(ApplicationFactory)
    requested_by = factory.SelfAttribute("application.banker")
    kind = Kind.TAX_RETURN
    note = "The last two years, signed."


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    uploaded_by = factory.SelfAttribute("application.owner")
    kind = Kind.BANK_STATEMENTS
    name = "statement.pdf"
    size = len(PDF)
    content_type = "application/pdf"
    sha256 = hashlib.sha256(PDF).hexdigest()
    storage_key = factory.LazyAttribute(_stored_pdf)
