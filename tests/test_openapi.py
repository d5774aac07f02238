"""The OpenAPI schema is what API clients generate code from: it must build
without warnings and validate against the OpenAPI 3 spec."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.management import call_command


def test_schema_builds_without_warnings_and_validates(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
