"""Schemathesis against our own OpenAPI schema, as an owner and as a banker:
no server errors, and every response matches what the schema says.

`make test` runs a bounded number of examples; `make fuzz` many more
(B2BBANK_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tests.factories import PASSWORD
from b2bbank.wsgi import application

EXAMPLES = int(os.environ.get("B2BBANK_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@contextmanager
def in_test_transaction() -> Iterator[None]:
    """The app runs in-process over WSGI, inside the test's transaction. Like
    Django's test client, keep the per-request connection housekeeping from
    closing the connection (and with it the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Fetching the schema touches no database, so it can load at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


def bearer_for(user: Any) -> dict[str, str]:
    from rest_framework.test import APIClient

    token = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    return {"Authorization": f"Bearer {token.json()['token']}"}


@pytest.fixture
def owner_headers(db: Any) -> dict[str, str]:
    from accounts.tests.factories import OwnerFactory

    return bearer_for(OwnerFactory(email="fuzz.owner@example.com"))


@pytest.fixture
def banker_headers(db: Any) -> dict[str, str]:
    from accounts.tests.factories import BankerFactory

    return bearer_for(BankerFactory(email="fuzz.banker@example.com"))


# Logging out would revoke the token the other examples use (accounts tests cover it).
FUZZ = schema.exclude(path="/api/v1/auth/logout/")
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@FUZZ.parametrize()
@SETTINGS
def test_api_conforms_to_its_schema_as_owner(case: Any, owner_headers: dict[str, str]) -> None:
    with in_test_transaction():
        case.call_and_validate(headers=owner_headers, checks=CHECKS)


@FUZZ.parametrize()
@SETTINGS
def test_api_conforms_to_its_schema_as_banker(case: Any, banker_headers: dict[str, str]) -> None:
    with in_test_transaction():
        case.call_and_validate(headers=banker_headers, checks=CHECKS)


STATEFUL_STEPS = int(os.environ.get("B2BBANK_FUZZ_STATEFUL", "15"))


def _stateful_run(headers: dict[str, str]) -> int:
    """Schemathesis' stateful phase: sequences of calls that feed one response's ids
    (an application, a conversation, a banker) into the next call, with links
    inferred from the schema. Returns how many transitions the machine has."""
    machine = schema.as_state_machine()

    class Workflow(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    with in_test_transaction():
        Workflow.run(
            settings=settings(
                max_examples=STATEFUL_STEPS,
                stateful_step_count=6,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
            )
        )
    methods = {"GET", "POST", "PATCH", "PUT", "DELETE"}
    return len([name for name in dir(machine) if name.split("_", 1)[0] in methods])


def _seed_for(owner_email: str, banker_email: str) -> None:
    """Give the sequences something to list, so links lead to {id} operations."""
    from decimal import Decimal

    from accounts.models import User
    from chat import services as chat
    from loans import services as loans

    owner, banker = User.objects.get(email=owner_email), User.objects.get(email=banker_email)
    for product in ("term_loan", "equipment_financing"):
        application = loans.application_create(
            owner=owner,
            banker_id=banker.pk,
            product=product,
            amount=Decimal("250000"),
            term_months=36,
            purpose="Growth",
        )
        loans.application_submit(actor=owner, application_id=application.pk)
    chat.conversation_start(owner=owner, banker_id=banker.pk, message="Hello")


def test_stateful_sequences_as_owner(owner_headers: dict[str, str], banker_headers: dict[str, str]) -> None:
    # e.g. GET applications/ -> POST applications/{id}/withdraw/, GET conversations/ -> messages
    _seed_for("fuzz.owner@example.com", "fuzz.banker@example.com")
    assert _stateful_run(owner_headers) > 20, "links inferred from the schema drive the sequences"


def test_stateful_sequences_as_banker(owner_headers: dict[str, str], banker_headers: dict[str, str]) -> None:
    _seed_for("fuzz.owner@example.com", "fuzz.banker@example.com")
    _stateful_run(banker_headers)


NESTED_BODY = "[" * 10_000 + "]" * 10_000


def _hostile_bodies(operation: Any) -> list[tuple[str, str]]:
    """Two bodies the JSON reader must refuse for any operation: one nested
    10,000 levels deep, and one of the operation's own examples with its first
    key given twice (the second value must never win silently)."""
    example = operation.body[0].definition.get("example") if operation.body else None
    fields = sorted(example) if isinstance(example, dict) else ["note"]
    duplicate = f'{{"{fields[0]}": "first", "{fields[0]}": "second"}}'
    return [("nested", NESTED_BODY), ("duplicate key", duplicate)]


def _path_ids(owner_email: str, banker_email: str) -> dict[str, int]:
    from accounts.models import User
    from chat.models import Conversation
    from loans.models import LoanApplication, Offer

    owner, banker = User.objects.get(email=owner_email), User.objects.get(email=banker_email)
    return {
        "id": LoanApplication.objects.filter(owner=owner).values_list("pk", flat=True).first() or 1,
        "offer": Offer.objects.filter(track__application__owner=owner).values_list("pk", flat=True).first()
        or 1,
        "conversation_id": Conversation.objects.get(owner=owner).pk,
        "banker_id": banker.pk,
    }


@pytest.mark.parametrize("who", ["owner", "banker", "anonymous"])
def test_every_operation_refuses_nested_and_duplicate_key_bodies_without_a_5xx(
    who: str, owner_headers: dict[str, str], banker_headers: dict[str, str]
) -> None:
    """Among the fuzz cases: every operation that takes a JSON body, with real
    ids in its path, as each kind of caller. 0 server errors, and never a 2xx."""
    from rest_framework.test import APIClient

    _seed_for("fuzz.owner@example.com", "fuzz.banker@example.com")
    ids = _path_ids("fuzz.owner@example.com", "fuzz.banker@example.com")
    headers = {"owner": owner_headers, "banker": banker_headers, "anonymous": {}}[who]
    client = APIClient()
    answers: list[tuple[str, str, str, int]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.body or operation.path == "/api/v1/auth/logout/":
            continue
        path = operation.path.format(**{p.name: ids[p.name] for p in operation.path_parameters})
        for kind, body in _hostile_bodies(operation):
            response = getattr(client, operation.method)(
                path,
                data=body,
                content_type="application/json",
                HTTP_AUTHORIZATION=headers.get("Authorization", ""),
            )
            answers.append((operation.method, operation.path, kind, response.status_code))
    assert len(answers) >= 30
    bad = [a for a in answers if a[3] >= 500 or a[3] < 300]
    assert bad == [], bad
