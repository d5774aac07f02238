"""Conflicting actions racing on one application, on real PostgreSQL: the row
lock makes exactly one win every time, and the timeline matches the status."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from b2bbank.domain_errors import InvalidTransition
from loans import services
from loans.models import ApplicationEvent, LoanApplication, Status
from loans.tests.factories import ApplicationFactory

ROUNDS = 25

TERMS = {"approved_amount": Decimal("100000"), "interest_rate": Decimal("6.5"), "term_months": 24}


def race(first: Callable[[], Any], second: Callable[[], Any]) -> list[str]:
    """Run both at (nearly) the same instant in their own connections; return
    'ok' or the exception class name for each."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = ["", ""]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[index] = "ok"
        except InvalidTransition:
            outcomes[index] = "InvalidTransition"
        except Exception as exc:
            outcomes[index] = f"unexpected {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def banker_actions(banker: Any, pk: int) -> dict[str, Callable[[], Any]]:
    return {
        "approve": lambda: services.application_approve(actor=banker, application_id=pk, **TERMS),
        "decline": lambda: services.application_decline(actor=banker, application_id=pk, reason="Policy"),
    }


@pytest.mark.parametrize(("left", "right"), [("approve", "withdraw"), ("approve", "decline")])
def test_exactly_one_of_two_conflicting_actions_wins(
    transactional_db: Any, owner_a: Any, banker_x: Any, left: str, right: str
) -> None:
    winners: dict[str, int] = {left: 0, right: 0}
    for _ in range(ROUNDS):
        application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
        pk = application.pk
        calls = {
            **banker_actions(banker_x, pk),
            "withdraw": lambda pk=pk: services.application_withdraw(actor=owner_a, application_id=pk),
        }
        outcomes = race(calls[left], calls[right])
        assert sorted(outcomes) == ["InvalidTransition", "ok"], outcomes
        winner = left if outcomes[0] == "ok" else right
        winners[winner] += 1
        application.refresh_from_db()
        events = list(ApplicationEvent.objects.filter(application_id=pk))
        assert len(events) == 1
        assert (events[0].from_status, events[0].to_status) == (Status.IN_REVIEW, application.status)
        assert (
            application.status
            == {"approve": Status.APPROVED, "decline": Status.DECLINED, "withdraw": Status.WITHDRAWN}[winner]
        )
        if application.status == Status.APPROVED:
            assert application.approved_amount == TERMS["approved_amount"]
            assert application.decline_reason == ""
        else:
            assert application.approved_amount is None
    assert sum(winners.values()) == ROUNDS
    assert LoanApplication.objects.count() == ROUNDS
