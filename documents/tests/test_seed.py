from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from documents.models import Document, DocumentRequest

pytestmark = pytest.mark.django_db


def test_demo_documents_are_seeded_once(document_root: Any) -> None:
    call_command("seed_demo", bankers=2)
    call_command("seed_loans_demo")
    call_command("seed_documents_demo")
    call_command("seed_documents_demo")
    assert sorted(DocumentRequest.objects.values_list("status", flat=True)) == ["fulfilled", "open"]
    assert Document.objects.get().content_type == "application/pdf"
