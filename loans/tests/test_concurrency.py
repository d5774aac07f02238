"""Conflicting actions racing on one application, on real PostgreSQL: the row
lock makes exactly one win every time, and the timeline matches the status."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from b2bbank.domain_errors import InvalidTransition
from loans import services
from loans.models import ApplicationEvent, ApplicationTrack, LoanApplication, Offer, Status
from loans.tests.factories import ApplicationFactory, DraftFactory

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
        track = application.tracks.get()
        if application.status == Status.APPROVED:
            assert track.offers.get().approved_amount == TERMS["approved_amount"]
            assert track.decline_reason == ""
        else:
            assert not track.offers.exists()
    assert sum(winners.values()) == ROUNDS
    assert LoanApplication.objects.count() == ROUNDS


def offered_twice(owner: Any, bankers: list[Any]) -> tuple[int, list[int]]:
    """An application sent to these bankers, each with an open offer (through the services)."""
    draft = DraftFactory(owner=owner)
    services.application_submit(actor=owner, application_id=draft.pk, banker_ids=[b.pk for b in bankers])
    for banker in bankers:
        services.application_start_review(actor=banker, application_id=draft.pk)
        services.application_approve(actor=banker, application_id=draft.pk, **TERMS)
    offers = list(
        Offer.objects.filter(track__application_id=draft.pk).order_by("pk").values_list("pk", flat=True)
    )
    return draft.pk, offers


def test_two_accepts_racing_exactly_one_wins(
    transactional_db: Any, owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    for _ in range(ROUNDS // 5):
        pk, (first, second) = offered_twice(owner_a, [banker_x, banker_y])
        outcomes = race(
            lambda pk=pk, o=first: services.offer_accept(actor=owner_a, application_id=pk, offer_id=o),
            lambda pk=pk, o=second: services.offer_accept(actor=owner_a, application_id=pk, offer_id=o),
        )
        assert sorted(outcomes) == ["InvalidTransition", "ok"], outcomes
        statuses = sorted(ApplicationTrack.objects.filter(application_id=pk).values_list("status", flat=True))
        assert statuses == ["accepted", "not_selected"]
        assert LoanApplication.objects.get(pk=pk).status == Status.ACCEPTED
        assert sorted(Offer.objects.filter(pk__in=[first, second]).values_list("status", flat=True)) == [
            "accepted",
            "not_selected",
        ]


def test_the_same_accept_twice_at_once_wins_once(transactional_db: Any, owner_a: Any, banker_x: Any) -> None:
    for _ in range(ROUNDS // 5):
        pk, (offer,) = offered_twice(owner_a, [banker_x])
        call = lambda pk=pk, o=offer: services.offer_accept(actor=owner_a, application_id=pk, offer_id=o)  # noqa: E731
        assert sorted(race(call, call)) == ["InvalidTransition", "ok"]
        assert ApplicationEvent.objects.filter(application_id=pk, to_status=Status.ACCEPTED).count() == 1


def test_accept_racing_the_bankers_withdrawal_one_wins(
    transactional_db: Any, owner_a: Any, banker_x: Any
) -> None:
    winners = {"accept": 0, "withdraw": 0}
    for _ in range(ROUNDS // 2):
        pk, (offer,) = offered_twice(owner_a, [banker_x])
        outcomes = race(
            lambda pk=pk, o=offer: services.offer_accept(actor=owner_a, application_id=pk, offer_id=o),
            lambda pk=pk, o=offer: services.offer_withdraw(actor=banker_x, application_id=pk, offer_id=o),
        )
        assert sorted(outcomes) == ["InvalidTransition", "ok"], outcomes
        status = Offer.objects.get(pk=offer).status
        assert status == ("accepted" if outcomes[0] == "ok" else "withdrawn")
        winners["accept" if outcomes[0] == "ok" else "withdraw"] += 1
    assert sum(winners.values()) == ROUNDS // 2


def test_accept_racing_expiry_one_wins(transactional_db: Any, owner_a: Any, banker_x: Any) -> None:
    """The expiry job runs as the offer runs out while the owner clicks accept:
    either the offer is accepted (and expiry finds nothing to do) or it expired
    (and accept is a 409), never both."""
    for _ in range(ROUNDS // 2):
        pk, (offer,) = offered_twice(owner_a, [banker_x])
        later = timezone.now() + timedelta(days=15)  # the job's clock: past the 14-day expiry
        expired: list[bool] = []
        outcomes = race(
            lambda pk=pk, o=offer: services.offer_accept(actor=owner_a, application_id=pk, offer_id=o),
            lambda o=offer, e=expired, t=later: e.append(services.offer_expire(offer_id=o, now=t)),
        )
        status = Offer.objects.get(pk=offer).status
        if outcomes[0] == "ok":
            assert (status, expired) == ("accepted", [False])
        else:
            assert (outcomes[0], status, expired) == ("InvalidTransition", "expired", [True])
        assert outcomes[1] == "ok"
