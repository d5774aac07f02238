"""Where files live: a private local folder by default (never under the static
files, never served by whitenoise), S3-compatible storage when a bucket is set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from documents.tests.factories import DocumentFactory

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django; django.setup(); from django.core.files.storage import storages; "
    "s = storages['documents']; print(type(s).__name__, getattr(s, 'bucket_name', ''), getattr(s, 'location', ''))"
)


def storage_under(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("B2BBANK_DOCUMENT")}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "b2bbank.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_development_keeps_files_in_a_private_folder_under_data() -> None:
    shown = storage_under({})
    assert shown.startswith("FileSystemStorage")
    assert shown.endswith(str(ROOT / ".data" / "documents"))


def test_a_bucket_in_the_environment_selects_s3_storage() -> None:
    shown = storage_under({"B2BBANK_DOCUMENT_S3_BUCKET": "bank-docs", "B2BBANK_DOCUMENT_S3_PREFIX": "docs"})
    assert shown == "S3Storage bank-docs docs"


def test_the_document_folder_is_not_static_and_not_served() -> None:
    from b2bbank.settings import base

    root = Path(base.B2BBANK_DOCUMENT_ROOT).resolve()
    for static in (Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)):
        assert not root.is_relative_to(static.resolve())


@pytest.mark.django_db
def test_stored_files_are_not_reachable_by_a_static_or_media_url(document_root: Path) -> None:
    document = DocumentFactory()
    for prefix in ("/static/", "/media/", "/"):
        response = Client().get(prefix + document.storage_key)
        assert response.status_code == 404
