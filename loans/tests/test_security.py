"""Loans under the security review: audit, immutable events at the database,
Idempotency-Key on create, and fields an owner can never set."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from rest_framework.test import APIClient

from audit.models import AuditRecord
from loans import services
from loans.models import ApplicationEvent, LoanApplication, Offer
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db

BODY = {"product": "term_loan", "amount": "250000.00", "term_months": 36, "purpose": "New CNC line"}


def submitted(owner: Any, banker: Any) -> LoanApplication:
    app = services.application_create(
        owner=owner,
        banker_id=banker.pk,
        product="term_loan",
        amount=Decimal("250000"),
        term_months=36,
        purpose="Expansion",
    )
    return services.application_submit(actor=owner, application_id=app.pk)


def test_every_status_change_is_audited_with_before_and_after(owner_a: Any, banker_x: Any) -> None:
    app = submitted(owner_a, banker_x)
    services.application_start_review(actor=banker_x, application_id=app.pk)
    records = AuditRecord.objects.filter(action="application.status", target_id=str(app.pk)).order_by("id")
    assert [(r.before["status"], r.after["status"], r.actor_id) for r in records] == [
        ("draft", "submitted", owner_a.pk),
        ("submitted", "in_review", banker_x.pk),
    ]


def test_the_database_refuses_to_edit_or_delete_events(owner_a: Any, banker_x: Any) -> None:
    app = submitted(owner_a, banker_x)
    event = ApplicationEvent.objects.filter(application=app).first()
    assert event is not None
    for sql in (
        "UPDATE loans_applicationevent SET note = 'rewritten' WHERE id = %s",
        "DELETE FROM loans_applicationevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert ApplicationEvent.objects.filter(pk=event.pk, note=event.note).exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "approved"},
        {"approved_amount": "1.00"},
        {"owner": 1},
        {"reference": "LA-999999"},
        {"interest_rate": "0.1"},
    ],
)
def test_owner_cannot_set_server_controlled_fields_on_create(
    api_as: Any, owner_a: Any, banker_x: Any, extra: dict[str, Any]
) -> None:
    response = api_as(owner_a).post(
        "/api/v1/applications/", {**BODY, "banker": banker_x.pk, **extra}, format="json"
    )
    assert response.status_code == 400
    assert next(iter(extra)) in response.json()
    assert not LoanApplication.objects.exists()


@pytest.mark.parametrize("extra", [{"status": "approved"}, {"banker": 999}, {"approved_amount": "5.00"}])
def test_owner_cannot_set_server_controlled_fields_on_patch(
    api_as: Any, owner_a: Any, banker_x: Any, extra: dict[str, Any]
) -> None:
    created = (
        api_as(owner_a).post("/api/v1/applications/", {**BODY, "banker": banker_x.pk}, format="json").json()
    )
    response = api_as(owner_a).patch(f"/api/v1/applications/{created['id']}/", extra, format="json")
    app = LoanApplication.objects.get(pk=created["id"])
    if "banker" in extra:
        assert response.status_code in (400, 404)
        assert app.banker_id == banker_x.pk
    else:
        assert response.status_code == 400
        assert app.status == "draft"
        assert not Offer.objects.exists()


def test_retried_create_with_the_same_key_returns_the_first_application(
    api_as: Any, owner_a: Any, banker_x: Any
) -> None:
    client = api_as(owner_a)
    body = {**BODY, "banker": banker_x.pk}
    first = client.post("/api/v1/applications/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/applications/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    other = client.post(
        "/api/v1/applications/", {**body, "amount": "300000.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert LoanApplication.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_creates_make_one_application(owner_a: Any, banker_x: Any) -> None:
    token = (
        APIClient()
        .post(
            "/api/v1/auth/token/",
            {"email": owner_a.email, "password": "correct-horse-battery-9"},
            format="json",
        )
        .json()["token"]
    )
    body = {**BODY, "banker": banker_x.pk}

    def create() -> tuple[int, Any]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY="same-key-20")
        response = client.post("/api/v1/applications/", body, format="json")
        return response.status_code, response.json()

    answers = run_concurrently(20, create)
    assert LoanApplication.objects.count() == 1
    assert [code for code, _ in answers] == [201] * 20
    assert len({body["id"] for _, body in answers}) == 1
