"""Backups: the database in pg_dump's custom format plus the media files.

    python tools/backup.py backup [--to backups] [--media DIR]
    python tools/backup.py restore BACKUP_DIR [--media DIR]

A backup is a directory `<to>/<UTC time>/` holding `database.dump`,
`media.tar.gz` and `manifest.json`. The database is the one Django's settings
name (DATABASE_URL, or the embedded PostgreSQL); media is `--media`, else
MEDIA_ROOT when set. Restore replaces the objects of the dump in the target
database (`--clean --if-exists`, one transaction) and unpacks the media.
pg_dump and pg_restore come from the pinned `pgserver` package (PostgreSQL 16,
which reads and writes servers from 9.2 on), so the backup does not depend on
the client the machine happens to have."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _pg_tool(name: str) -> str:
    import pgserver

    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
    found = str(bundled) if bundled.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found (pgserver's binaries or PATH)")
    return found


def _connection() -> tuple[list[str], dict[str, str], str]:
    """libpq arguments and environment for Django's default database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    args = ["-U", db.get("USER") or "postgres"]
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env, db["NAME"]


def _media_dir(option: str | None) -> Path | None:
    from django.conf import settings

    chosen = option or settings.MEDIA_ROOT
    return Path(chosen) if chosen else None


def backup(target: Path, media_option: str | None) -> Path:
    args, env, name = _connection()
    folder = target / datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True)
    dump = folder / "database.dump"
    subprocess.run([_pg_tool("pg_dump"), *args, "-Fc", "-f", str(dump), name], env=env, check=True)  # noqa: S603
    media = _media_dir(media_option)
    files = 0
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media is not None and media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                archive.add(path, arcname=str(path.relative_to(media)))
                files += 1
    manifest: dict[str, Any] = {
        "database": name,
        "database_bytes": dump.stat().st_size,
        "media": str(media) if media else None,
        "media_files": files,
        "created_at": datetime.now(tz=UTC).isoformat(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def restore(folder: Path, media_option: str | None) -> None:
    args, env, name = _connection()
    restore_args = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    subprocess.run(  # noqa: S603
        [_pg_tool("pg_restore"), *args, *restore_args, "-d", name, str(folder / "database.dump")],
        env=env,
        check=True,
    )
    media = _media_dir(media_option)
    if media is not None:
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
            archive.extractall(media, filter="data")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup")
    make.add_argument("--to", default=str(ROOT / "backups"))
    make.add_argument("--media")
    back = commands.add_parser("restore")
    back.add_argument("folder")
    back.add_argument("--media")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.dev")
    import django

    django.setup()
    if options.command == "backup":
        print(backup(Path(options.to), options.media))
    else:
        restore(Path(options.folder), options.media)
        print(f"restored {options.folder}")


if __name__ == "__main__":
    main()
