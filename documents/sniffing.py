"""What a file is, from its bytes alone (never the client's type or the name).

Binary formats by their signature (the `filetype` library); the Office
formats, which are zip archives, by the parts inside them (stdlib zipfile);
CSV as UTF-8 text that parses as delimited rows and is not markup.
"""

from __future__ import annotations

import csv
import re
import zipfile
from typing import IO

import filetype

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = frozenset({PDF, PNG, JPEG, CSV, XLSX, DOCX})
# Shown in the browser's own viewer (in a sandbox) when asked; the rest downloads.
INLINE = frozenset({PDF, PNG, JPEG})
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", CSV: "CSV", XLSX: "Excel", DOCX: "Word"}

HEAD_BYTES = 8192
TEXT_SAMPLE = 64 * 1024
# The main part's type in [Content_Types].xml: macro-enabled variants differ.
OFFICE_MAIN = {
    DOCX: ("word/", "wordprocessingml.document.main+xml"),
    XLSX: ("xl/", "spreadsheetml.sheet.main+xml"),
}
CONTENT_TYPES_MAX = 256 * 1024
MARKUP = re.compile(rb"^\s*<|<\s*(?:html|svg|script|\?xml|!doctype|iframe|body)\b", re.IGNORECASE)


def sniff(file: IO[bytes]) -> str | None:
    """The content type of an allowed format, or None. Leaves the file at 0."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    guessed = filetype.guess_mime(head) if head else None
    if guessed in (PDF, PNG, JPEG):
        return guessed
    if guessed is not None and (guessed == "application/zip" or guessed in OFFICE_MAIN):
        return _office(file)
    if guessed is None and _is_csv(file):
        return CSV
    return None


def _office(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                return None
            declared = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    for content_type, (folder, main) in OFFICE_MAIN.items():
        if main in declared and any(name.startswith(folder) for name in names):
            return content_type
    return None


def _is_csv(file: IO[bytes]) -> bool:
    sample = file.read(TEXT_SAMPLE)
    file.seek(0)
    if not sample or b"\x00" in sample or MARKUP.search(sample[:1024]):
        return False
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not merely a character cut by the sample's end
            return False
        text = sample[: exc.start].decode("utf-8-sig")
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return False
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not sample.endswith((b"\n", b"\r")):
        lines = lines[:-1]  # the last line may be cut by the sample
    if not lines:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() >= 2
