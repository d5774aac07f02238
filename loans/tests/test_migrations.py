"""The data migration: applications sent to one banker before tracks become
one track each, their events attached, an approved one's terms an open offer,
and the application's `status` reads as before."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("loans", "0003_event_actor_nullable")]
AFTER = [("loans", "0006_drop_single_banker_decision")]


@pytest.fixture
def back_to_latest() -> Any:
    """Whatever happens, leave the database at the latest migrations for the
    tests after this one."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_single_banker_applications_become_one_track_each(
    owner_a: Any, banker_x: Any, back_to_latest: Any
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    application_model = old.get_model("loans", "LoanApplication")
    event_model = old.get_model("loans", "ApplicationEvent")
    common = {"owner_id": owner_a.pk, "product": "term_loan", "amount": Decimal("250000"), "term_months": 36}
    approved = application_model.objects.create(
        **common,
        banker_id=banker_x.pk,
        status="approved",
        purpose="a",
        approved_amount=Decimal("200000"),
        interest_rate=Decimal("7.250"),
        approved_term_months=48,
        conditions="Guarantee",
    )
    declined = application_model.objects.create(
        **common, banker_id=banker_x.pk, status="declined", purpose="b", decline_reason="Sector"
    )
    draft = application_model.objects.create(**common, banker_id=banker_x.pk, status="draft", purpose="c")
    event_model.objects.create(
        application_id=approved.pk, actor_id=banker_x.pk, from_status="in_review", to_status="approved"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from loans.models import ApplicationEvent, ApplicationTrack, LoanApplication, Offer

    track = ApplicationTrack.objects.get(application_id=approved.pk)
    assert (track.banker_id, track.status) == (banker_x.pk, "offered")
    offer = Offer.objects.get(track=track)
    assert (offer.approved_amount, offer.interest_rate, offer.term_months, offer.status) == (
        Decimal("200000.00"),
        Decimal("7.250"),
        48,
        "open",
    )
    assert offer.monthly_payment == Decimal("4812.48")
    assert ApplicationEvent.objects.get(application_id=approved.pk).track_id == track.pk
    assert ApplicationTrack.objects.get(application_id=declined.pk).decline_reason == "Sector"
    assert not ApplicationTrack.objects.filter(application_id=draft.pk).exists()
    assert LoanApplication.objects.get(pk=approved.pk).status == "approved"
