"""The decorator's contract, on a small view that writes an audit record per
call (the real endpoints have their own tests in loans and chat)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from audit.models import AuditRecord
from audit.services import audit_log
from idempotency.decorators import idempotent
from idempotency.models import IdempotentRequest

pytestmark = pytest.mark.django_db


class CreateThing(APIView):
    @idempotent
    def post(self, request: Request) -> Response:
        if request.data.get("explode"):
            return Response({"detail": "boom"}, status=500)
        if request.data.get("invalid"):
            return Response({"name": ["Required."]}, status=400)
        record = audit_log(action="thing.created", actor=request.user)
        return Response({"id": record.pk, "name": request.data.get("name")}, status=201)


def call(user: Any, body: dict[str, Any], key: str | None = "key-1") -> Response:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    request = APIRequestFactory().post("/things/", body, format="json", **headers)
    force_authenticate(request, user=user)
    return CreateThing.as_view()(request)


def test_a_retry_gets_the_first_answer_and_creates_nothing_more(owner_a: Any) -> None:
    first = call(owner_a, {"name": "a"})
    second = call(owner_a, {"name": "a"})
    assert first.status_code == second.status_code == 201
    assert second.data == first.data
    assert second["Idempotent-Replayed"] == "true"
    assert AuditRecord.objects.filter(action="thing.created").count() == 1


def test_same_key_with_another_body_is_422(owner_a: Any) -> None:
    call(owner_a, {"name": "a"})
    response = call(owner_a, {"name": "b"})
    assert response.status_code == 422
    assert response.data["code"] == "idempotency_key_reused"
    assert AuditRecord.objects.filter(action="thing.created").count() == 1


def test_keys_belong_to_their_user(owner_a: Any, owner_b: Any) -> None:
    call(owner_a, {"name": "a"})
    other = call(owner_b, {"name": "a"})
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert AuditRecord.objects.filter(action="thing.created").count() == 2


def test_without_a_key_every_call_creates(owner_a: Any) -> None:
    call(owner_a, {"name": "a"}, key=None)
    call(owner_a, {"name": "a"}, key=None)
    assert AuditRecord.objects.filter(action="thing.created").count() == 2
    assert not IdempotentRequest.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "bad\nkey"])
def test_malformed_key_is_400(owner_a: Any, key: str) -> None:
    assert call(owner_a, {"name": "a"}, key=key).status_code == 400
    assert not AuditRecord.objects.exists()


def test_a_validation_error_is_replayed_too(owner_a: Any) -> None:
    assert call(owner_a, {"invalid": True}).status_code == 400
    assert call(owner_a, {"invalid": True}).status_code == 400
    assert IdempotentRequest.objects.get().status_code == 400


def test_a_server_error_frees_the_key_for_the_retry(owner_a: Any) -> None:
    assert call(owner_a, {"explode": True}).status_code == 500
    assert not IdempotentRequest.objects.exists()
