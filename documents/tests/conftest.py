from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loans.models import Status
from loans.tests.factories import ApplicationFactory


@pytest.fixture(autouse=True)
def document_root(tmp_path: Path, settings: Any) -> Path:
    """Each test stores files (and temporary upload files) in its own folder,
    so a test can see that a refused upload left nothing behind."""
    root = tmp_path / "documents"
    temp = tmp_path / "uploads-in-flight"
    root.mkdir()
    temp.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    return root


def stored(root: Path) -> list[Path]:
    """Every file under the storage root and the upload temp folder."""
    return sorted(p for p in root.parent.rglob("*") if p.is_file())


@pytest.fixture
def application(owner_a: Any, banker_x: Any) -> Any:
    return ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
