"""An embedded PostgreSQL for machines without a database server.

When DATABASE_URL is unset, dev and test settings start (or reuse) a PostgreSQL
from the `pgserver` package with its data under `.data/postgres`. The server is
left running between processes (cleanup_mode=None) so every `manage.py` call and
test run does not pay for a cold start; `make db-stop` stops it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DATABASE_NAME = "b2bbank"


def embedded_database_settings(base_dir: Path) -> dict[str, Any]:
    """Start the embedded server if needed and return a Django DATABASES entry."""
    # pgserver keeps its lock file in the user's runtime dir, which containers and
    # CI often lack; a private one under .data/ keeps platformdirs quiet.
    runtime_dir = base_dir / ".data" / "run"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import pgserver

    data_dir = base_dir / ".data" / "postgres"
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    info = server.get_postmaster_info()
    # DATABASE_NAME is a constant, not input: no injection surface.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir) if info.socket_dir else "127.0.0.1",
        "PORT": "" if info.socket_dir else str(info.port),
    }
