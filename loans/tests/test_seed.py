from __future__ import annotations

import pytest
from django.core.management import call_command

from loans.models import LoanApplication, Status

pytestmark = pytest.mark.django_db


def test_demo_applications_are_seeded_once() -> None:
    call_command("seed_demo", bankers=2)
    call_command("seed_loans_demo")
    call_command("seed_loans_demo")
    statuses = sorted(LoanApplication.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.APPROVED, Status.APPROVED, Status.INFO_REQUESTED, Status.DRAFT])
    one, compare = LoanApplication.objects.filter(status=Status.APPROVED).order_by("pk")
    assert one.events.count() == 3
    assert [t.offers.get().status for t in compare.tracks.order_by("pk")] == ["open", "open"]
