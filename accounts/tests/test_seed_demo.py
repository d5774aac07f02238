from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

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
