"""Known vulnerabilities in the pinned requirements, from PyPI's project JSON.

`make audit-deps` runs pip-audit, which asks PyPI for each pinned *version*
(`/pypi/<name>/<version>/json`). Where that endpoint does not answer (this
workplace's registry mirror serves only the project JSON), this is the fallback
CI runs: a project's JSON lists the known vulnerabilities of its *latest*
release, so every pin that is the latest release is audited exactly; a pin
behind the latest cannot be audited from here and is listed as such, with
whether a newer release of the same series exists.

Exit status: 1 when a pin has a known vulnerability (or its project is not on
PyPI), 0 otherwise. Usage: python tools/audit_pins.py requirements.txt
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

PYPI = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;#]+)")


def pins(requirements: Path) -> list[tuple[str, str]]:
    found = []
    for line in requirements.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def series(version: str) -> str:
    return ".".join(version.split(".")[:2])


def numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def audit(name: str, version: str) -> tuple[str, list[str]]:
    """(status, vulnerability ids): status is "ok", "vulnerable" or "unverified"."""
    with urllib.request.urlopen(PYPI.format(name=name), timeout=15) as response:  # noqa: S310 - fixed https URL
        project = json.load(response)
    latest = project["info"]["version"]
    if version != latest:
        newer_patch = [
            release
            for release, files in project["releases"].items()
            if files and series(release) == series(version) and numbers(release) > numbers(version)
        ]
        note = f"latest is {latest}; newer in {series(version)}: {', '.join(newer_patch) or 'none'}"
        return "unverified", [note]
    ids = [v["id"] for v in project.get("vulnerabilities", []) if not v.get("withdrawn")]
    return ("vulnerable" if ids else "ok"), ids


def main(path: str) -> int:
    failed = False
    unverified = 0
    pinned = pins(Path(path))
    for name, version in pinned:
        try:
            status, details = audit(name, version)
        except OSError as exc:
            print(f"FAIL  {name}=={version}: could not read its project JSON ({exc})")
            failed = True
            continue
        if status == "vulnerable":
            failed = True
            print(f"FAIL  {name}=={version}: known vulnerabilities {', '.join(details)}")
        elif status == "unverified":
            unverified += 1
            print(
                f"??    {name}=={version}: not the latest release, cannot be audited from here ({details[0]})"
            )
        else:
            print(f"ok    {name}=={version}")
    audited = len(pinned) - unverified
    print(
        f"audit-pins: {audited} of {len(pinned)} pins audited, {unverified} unverified, "
        f"{'vulnerabilities found' if failed else 'no known vulnerabilities'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.txt"))
