"""Settings behave per environment: production refuses to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PROD = {
    "DJANGO_SETTINGS_MODULE": "b2bbank.settings.production",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "bank.example.com"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 64}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secret_or_hosts(env: dict[str, str], message: str) -> None:
    result = run_check({**PROD, **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_deploy_check_is_clean() -> None:
    result = run_check(
        {**PROD, "DJANGO_SECRET_KEY": "k" * 30 + "Q7!x" * 10, "DJANGO_ALLOWED_HOSTS": "bank.example.com"},
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_argon2_is_the_default_hasher_outside_tests() -> None:
    from b2bbank.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
