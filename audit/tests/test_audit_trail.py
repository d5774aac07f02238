from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from audit.models import AuditRecord
from audit.services import audit_log

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditRecord.objects.order_by("id").values_list("action", flat=True))


def test_database_refuses_update_and_delete_of_records(owner_a: Any) -> None:
    record = audit_log(action="test.event", actor=owner_a)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.get(pk=record.pk).action == "test.event"


def test_page_sign_in_and_failed_sign_in_are_recorded_without_password(owner_a: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post("/login/", {"username": owner_a.email, "password": "wrong-secret-1"})
    client.post("/login/", {"username": owner_a.email, "password": PASSWORD})
    client.post("/logout/")
    assert actions() == ["auth.login_failed", "auth.login", "auth.logout"]
    failed = AuditRecord.objects.get(action="auth.login_failed")
    assert failed.actor_email == owner_a.email
    assert failed.actor_id is None
    assert failed.ip_address == "203.0.113.7"
    assert len(failed.request_id) >= 8
    dumped = str(list(AuditRecord.objects.values()))
    assert "wrong-secret-1" not in dumped
    assert PASSWORD not in dumped


def test_api_token_create_and_revoke_are_recorded(owner_a: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"email": owner_a.email, "password": PASSWORD}, format="json"
    )
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.post("/api/v1/auth/logout/")
    client.credentials()
    client.post("/api/v1/auth/token/", {"email": owner_a.email, "password": "bad-password-9"}, format="json")
    assert actions() == ["auth.token_created", "auth.token_revoked", "auth.login_failed"]
    for secret in (token, PASSWORD, "bad-password-9"):
        assert secret not in caplog.text
        assert secret not in str(list(AuditRecord.objects.values()))


def test_verification_is_recorded_with_before_and_after(api_as: Any, staff: Any, pending_banker: Any) -> None:
    api_as(staff).post(f"/api/v1/admin/bankers/{pending_banker.pk}/verify/", {}, format="json")
    record = AuditRecord.objects.get(action="banker.verification")
    assert record.actor_id == staff.pk
    assert record.target_id == str(pending_banker.pk)
    assert record.before == {"verification_status": "pending"}
    assert record.after == {"verification_status": "verified"}


def test_admin_change_is_recorded_with_before_and_after(client: Client, staff: Any, owner_a: Any) -> None:
    client.force_login(staff)
    profile = owner_a.owner_profile
    url = reverse("admin:accounts_businessownerprofile_change", args=[profile.pk])
    form = {
        "user": owner_a.pk,
        "company_name": "Renamed Co",
        "industry": profile.industry,
        "years_in_business": profile.years_in_business,
        "country": "US",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:500]
    record = AuditRecord.objects.get(action="admin.change")
    assert record.before["company_name"] == profile.company_name
    assert record.after["company_name"] == "Renamed Co"
    assert record.actor_email == staff.email


def test_a_rolled_back_change_leaves_no_record(owner_a: Any) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            audit_log(action="test.event", actor=owner_a)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not AuditRecord.objects.exists()
