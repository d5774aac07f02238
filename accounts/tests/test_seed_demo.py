from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import BankerProfile, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_logins() -> None:
    out = StringIO()
    call_command("seed_demo", bankers=4, stdout=out)
    call_command("seed_demo", bankers=4, stdout=StringIO())
    # 1 owner + 4 verified bankers + 1 pending banker + 1 admin, once each.
    assert User.objects.count() == 7
    assert BankerProfile.objects.filter(verification_status="verified").count() == 4
    assert BankerProfile.objects.filter(verification_status="pending").count() == 1
    assert "owner@demo.b2bbank.local" in out.getvalue()
    assert User.objects.get(email="admin@demo.b2bbank.local").is_staff


def test_demo_bankers_have_unique_names_and_the_demo_banker_comes_first_for_theirs() -> None:
    call_command("seed_demo", stdout=StringIO())
    names = [u.get_full_name() for u in User.objects.filter(role="banker")]
    assert len(names) == len(set(names)) == 37  # 36 listed bankers and the pending one
    demo = User.objects.get(email="banker@demo.b2bbank.local")
    client = Client()
    client.force_login(User.objects.get(email="owner@demo.b2bbank.local"))
    page = client.get("/bankers/", {"q": demo.get_full_name()}).content.decode()
    first = page.index('class="card directory-item"')
    assert f'href="/bankers/{demo.pk}/"' in page[first : first + 400]


def test_seed_demo_prints_the_port_it_is_given_and_writes_the_logins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = StringIO()
    logins = tmp_path / "logins.txt"
    call_command("seed_demo", bankers=1, port="9123", logins_file=logins, stdout=out)
    assert "http://127.0.0.1:9123/login/" in out.getvalue()
    assert "8000" not in out.getvalue()
    assert "banker@demo.b2bbank.local" in logins.read_text()
    monkeypatch.setenv("PORT", "9456")
    again = StringIO()
    call_command("seed_demo", bankers=1, stdout=again)
    assert "http://127.0.0.1:9456/login/" in again.getvalue()
