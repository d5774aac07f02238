"""The type comes from the bytes: accepted formats are recognised whatever
their name, everything else (markup, programs, archives) is not."""

from __future__ import annotations

import io

import pytest

from documents import sniffing
from documents.names import display_name
from documents.tests import samples


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.PDF, sniffing.PDF),
        (samples.png(), sniffing.PNG),
        (samples.JPEG, sniffing.JPEG),
        (samples.CSV, sniffing.CSV),
        (b"\xef\xbb\xbfa;b;c\n1;2;3\n", sniffing.CSV),
        (samples.office("word"), sniffing.DOCX),
        (samples.office("xl"), sniffing.XLSX),
    ],
    ids=["pdf", "png", "jpeg", "csv", "csv-bom-semicolon", "docx", "xlsx"],
)
def test_accepted_formats_are_recognised_from_their_bytes(content: bytes, expected: str) -> None:
    assert sniffing.sniff(io.BytesIO(content)) == expected


@pytest.mark.parametrize(
    "content",
    [
        samples.HTML_AS_PDF,
        samples.PE,
        samples.SVG,
        samples.plain_zip(),
        samples.office("word", main="application/vnd.ms-word.document.macroEnabled.main+xml"),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"just one line of prose without delimiters\n",
        b"a,b\n\x00\x01,2\n",
        b"\xff\xfe\x00\x00binary",
        b"",
    ],
    ids=["html", "pe", "svg", "zip", "docm", "gif", "prose", "nul", "binary", "empty"],
)
def test_anything_else_is_refused(content: bytes) -> None:
    assert sniffing.sniff(io.BytesIO(content)) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("bad\x00name.pdf", "badname.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("  ..hidden.pdf ", "hidden.pdf"),
        ("Übersicht Q3 \u2013 2024.pdf", "Übersicht Q3 \u2013 2024.pdf"),
        ("", "document"),
        ("../", "document"),
        ("tab\tand\nnewline.csv", "tab and newline.csv"),
    ],
)
def test_display_names_are_made_harmless(raw: str, expected: str) -> None:
    assert display_name(raw) == expected


def test_a_long_name_keeps_its_extension_within_255_characters() -> None:
    name = display_name("x" * 300 + ".pdf")
    assert len(name) == 255
    assert name.endswith(".pdf")
