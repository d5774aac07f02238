"""The CI fallback audit (tools/audit_pins.py) reads PyPI's project JSON right:
it fails on a known vulnerability, ignores withdrawn ones, and says which pins it
could not audit. PyPI is replaced by canned answers."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import audit_pins

PROJECTS = {
    "safe": {"info": {"version": "2.0.0"}, "releases": {"2.0.0": [{}]}, "vulnerabilities": []},
    "bad": {
        "info": {"version": "1.1"},
        "releases": {"1.1": [{}]},
        "vulnerabilities": [{"id": "GHSA-1"}, {"id": "PYSEC-2", "withdrawn": "2026-01-01"}],
    },
    "lts": {
        "info": {"version": "6.1.3"},
        "releases": {"5.2.18": [{}], "5.2.19": [{}], "5.2.20": [{}], "6.1.3": [{}]},
        "vulnerabilities": [],
    },
}


@pytest.fixture(autouse=True)
def canned_pypi(monkeypatch: pytest.MonkeyPatch) -> None:
    def urlopen(url: str, timeout: float) -> Any:
        name = url.split("/pypi/")[1].split("/")[0]
        if name not in PROJECTS:
            raise OSError("404")
        return io.BytesIO(json.dumps(PROJECTS[name]).encode())

    monkeypatch.setattr(audit_pins.urllib.request, "urlopen", urlopen)


def test_pins_with_extras_and_markers(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "# comment\nsafe==2.0.0\npsycopg[binary,pool]==3.3.9 ; python_version>'3'\n-r other.txt\n"
    )
    assert audit_pins.pins(requirements) == [("safe", "2.0.0"), ("psycopg", "3.3.9")]


def test_latest_release_is_audited() -> None:
    assert audit_pins.audit("safe", "2.0.0") == ("ok", [])
    assert audit_pins.audit("bad", "1.1") == ("vulnerable", ["GHSA-1"])  # the withdrawn one is ignored


def test_older_pin_is_unverified_and_names_newer_patches() -> None:
    status, details = audit_pins.audit("lts", "5.2.19")
    assert status == "unverified"
    assert "newer in 5.2: 5.2.20" in details[0]


def test_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("safe==2.0.0\nlts==5.2.19\n")
    assert audit_pins.main(str(requirements)) == 0
    requirements.write_text("safe==2.0.0\nbad==1.1\n")
    assert audit_pins.main(str(requirements)) == 1
    requirements.write_text("missing==1.0\n")
    assert audit_pins.main(str(requirements)) == 1
    assert "could not read" in capsys.readouterr().out
