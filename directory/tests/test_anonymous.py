"""Visitors browse the directory (issue #16, defect 9): search and profiles
without signing in, nothing more than a signed-in user sees, sign-in asked for
only to message or apply, and their searches throttled per address with the
API's `anon` rate, pages and API sharing one budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework import throttling
from rest_framework.settings import api_settings

from b2bbank.throttling import FixedWindowCounter

pytestmark = pytest.mark.django_db


def test_visitor_searches_and_reads_a_profile(banker_x: Any, owner_a: Any) -> None:
    client = Client()
    search = client.get("/bankers/", {"q": banker_x.last_name})
    assert search.status_code == 200
    assert f'href="/bankers/{banker_x.pk}/"' in search.content.decode()
    profile = client.get(f"/bankers/{banker_x.pk}/")
    page = profile.content.decode()
    assert profile.status_code == 200
    assert "Sign in to message or apply" in page
    assert f"/login/?next=/bankers/{banker_x.pk}/" in page
    assert "/applications/new/" not in page
    assert 'action="/messages/start/"' not in page


def test_visitor_sees_no_more_than_a_signed_in_owner(banker_x: Any, owner_a: Any) -> None:
    signed_in = Client()
    signed_in.force_login(owner_a)
    visitor = Client()
    for path in (f"/api/v1/bankers/{banker_x.pk}/", "/api/v1/bankers/"):
        assert visitor.get(path).json() == signed_in.get(path).json()
    assert banker_x.email not in visitor.get(f"/bankers/{banker_x.pk}/").content.decode()


def test_applying_and_messaging_still_ask_a_visitor_to_sign_in(banker_x: Any) -> None:
    client = Client()
    assert client.get(f"/applications/new/?banker={banker_x.pk}")["Location"].startswith("/login/")
    assert client.post("/messages/start/", {"banker": banker_x.pk})["Location"].startswith("/login/")


@pytest.fixture
def anon_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three a minute, all in one window (a real clock may cross a minute mid-test)."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(FixedWindowCounter, "timer", lambda self: 1_000_000.0)


def test_visitor_searches_share_the_anon_rate_with_the_api(
    anon_rate: None, banker_x: Any, owner_a: Any
) -> None:
    visitor = Client()
    codes = [visitor.get("/bankers/").status_code, visitor.get("/api/v1/bankers/").status_code]
    codes.append(visitor.get(f"/bankers/{banker_x.pk}/").status_code)
    refused = visitor.get("/bankers/", {"q": "loans"})
    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many searches" in refused.content.decode()
    assert visitor.get("/api/v1/bankers/").status_code == 429
    signed_in = Client()
    signed_in.force_login(owner_a)
    assert signed_in.get("/bankers/").status_code == 200
