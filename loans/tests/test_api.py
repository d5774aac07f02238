from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from accounts.tests.factories import OwnerFactory
from loans import services
from loans.models import ApplicationEvent, LoanApplication, Status
from loans.tests.factories import ApplicationFactory, DraftFactory

pytestmark = pytest.mark.django_db

NEW = {"product": "term_loan", "amount": "250000.00", "term_months": 36, "purpose": "New press brake"}


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"api:application-{name}", kwargs={"pk": pk} if pk else None)


def test_owner_creates_a_draft_and_amounts_are_strings(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    response = api_as(owner_a).post(url("list"), {**NEW, "banker": banker_x.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["amount"] == "250000.00"
    assert body["reference"] == f"LA-{body['id']:06d}"
    assert body["banker"]["id"] == banker_x.pk
    assert body["actions"] == ["submit", "withdraw"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "999999999999"}, "amount"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 1000}, "term_months"),
        ({"product": "payday"}, "product"),
        ({"status": "approved"}, "status"),
        ({"owner": 1}, "owner"),
    ],
)
def test_create_rejects_bad_input_naming_the_field(
    api_as: Any, owner_a: Any, change: dict[str, Any], field: str
) -> None:
    response = api_as(owner_a).post(url("list"), {**NEW, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert LoanApplication.objects.count() == 0


def test_create_with_unverified_banker_is_400_on_banker(
    api_as: Any, owner_a: Any, pending_banker: Any
) -> None:
    response = api_as(owner_a).post(url("list"), {**NEW, "banker": pending_banker.pk}, format="json")
    assert response.status_code == 400
    assert "banker" in response.json()


def test_whole_lifecycle_over_the_api(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    owner, banker = api_as(owner_a), api_as(banker_x)
    pk = owner.post(url("list"), NEW, format="json").json()["id"]
    assert owner.patch(url("detail", pk), {"term_months": 48}, format="json").json()["term_months"] == 48
    steps = [
        (owner, "submit", {"banker": banker_x.pk, "note": "Hello"}, "submitted"),
        (banker, "start-review", {}, "in_review"),
        (banker, "request-info", {"note": "Latest balance sheet?"}, "info_requested"),
        (owner, "respond", {"note": "Sent by chat"}, "in_review"),
        (
            banker,
            "approve",
            {
                "approved_amount": "200000.00",
                "interest_rate": "7.250",
                "term_months": 48,
                "conditions": "Guarantee",
            },
            "approved",
        ),
    ]
    for client, action, data, status in steps:
        response = client.post(url(action, pk), data, format="json")
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == status
    body = owner.get(url("detail", pk)).json()
    assert (body["approved_amount"], body["interest_rate"], body["approved_term_months"]) == (
        "200000.00",
        "7.250",
        48,
    )
    assert body["actions"] == ["offer-accept", "offer-decline"]
    (track,) = body["tracks"]
    assert (track["banker"]["id"], track["status"]) == (banker_x.pk, "offered")
    offer = track["offer"]
    assert (offer["status"], offer["monthly_payment"], offer["apr"]) == ("open", "4812.48", "7.250")
    accepted = owner.post(f"/api/v1/applications/{pk}/offers/{offer['id']}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert (accepted.json()["status"], accepted.json()["actions"]) == ("accepted", [])
    events = owner.get(url("events", pk)).json()
    assert [e["to_status"] for e in events] == [
        "submitted",
        "in_review",
        "info_requested",
        "in_review",
        "approved",
        "accepted",
    ]
    assert events[2]["note"] == "Latest balance sheet?"


def test_submit_not_eligible_is_400_saying_which_rule(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    draft = DraftFactory(owner=owner_a, amount=Decimal("10000"))
    response = api_as(owner_a).post(url("submit", draft.pk), {"banker": banker_x.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "amount_below_minimum"
    assert "minimum" in response.json()["detail"]
    draft.refresh_from_db()
    assert (draft.status, draft.banker_id) == (Status.DRAFT, None)


def test_invalid_transition_is_409_and_changes_nothing(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    response = api_as(banker_x).post(
        url("approve", application.pk),
        {"approved_amount": "1000.00", "interest_rate": "5", "term_months": 12},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert ApplicationEvent.objects.count() == 0


def test_decline_needs_a_reason(api_as: Any, owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    response = api_as(banker_x).post(url("decline", application.pk), {"note": "x"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_list_is_scoped_and_filters_by_status(api_as: Any, owner_a: Any, owner_b: Any, banker_x: Any) -> None:
    mine = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    ApplicationFactory(
        owner=owner_a,
        banker=banker_x,
        status=Status.APPROVED,
        approved_amount=1000,
        interest_rate=1,
        approved_term_months=1,
    )
    DraftFactory(owner=owner_a, banker=banker_x)
    ApplicationFactory(owner=owner_b, banker=banker_x, status=Status.SUBMITTED)
    owner = api_as(owner_a).get(url("list"), {"status": "submitted"}).json()
    assert [a["id"] for a in owner["results"]] == [mine.pk]
    banker = api_as(banker_x).get(url("list")).json()
    assert banker["count"] == 3  # not owner A's draft
    assert api_as(owner_a).get(url("list"), {"status": "nonsense"}).status_code == 400


def test_list_query_count_does_not_grow_with_rows(
    api_as: Any, banker_x: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(5):
        ApplicationFactory(owner=OwnerFactory(), banker=banker_x)
    client = api_as(banker_x)
    # count + page (applications joined with both parties and profiles) + the
    # viewer's tracks + their offers
    with django_assert_num_queries(4):
        response = client.get(url("list"))
    assert response.json()["count"] == 5


def test_events_query_count_is_fixed(
    api_as: Any, owner_a: Any, banker_x: Any, django_assert_num_queries: Any
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    for note in ("a", "b"):
        services.application_request_info(actor=banker_x, application_id=application.pk, note=note)
        services.application_respond(actor=owner_a, application_id=application.pk, note=note)
    client = api_as(banker_x)
    with django_assert_num_queries(2):  # the application (scope check) + events with actors
        response = client.get(url("events", application.pk))
    assert len(response.json()) == 4
