from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import VerificationStatus
from accounts.models import BankerProfile, User
from accounts.services import SIGNUP_DONE
from accounts.tests.factories import PASSWORD
from authentication.models import ApiToken
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db

OWNER_BODY = {
    "email": "Founder@Example.com",
    "password": PASSWORD,
    "accept_terms": True,
    "first_name": "Fay",
    "last_name": "Founder",
    "company_name": "Founder Foods",
    "industry": "hospitality",
}
BANKER_BODY = {
    "email": "loan.officer@example.com",
    "password": PASSWORD,
    "accept_terms": True,
    "first_name": "Lou",
    "last_name": "Officer",
    "institution": "Harbor Bank",
    "products": ["term_loan", "sba_loan"],
    "min_loan_amount": "25000.00",
    "max_loan_amount": "500000",
}


def test_owner_signup_returns_201_with_email_role_and_no_id(
    api_client: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # account emails leave at commit
        response = api_client.post("/api/v1/auth/signup/business-owner/", OWNER_BODY, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "id": None,
        "email": "founder@example.com",
        "role": "business_owner",
        "detail": SIGNUP_DONE,
    }
    assert User.objects.get().email == "founder@example.com"
    [welcome] = mail.outbox
    assert (welcome.to, welcome.subject) == (["founder@example.com"], "Welcome to b2bbank")


def test_banker_signup_returns_201_and_profile_is_pending(api_client: APIClient) -> None:
    response = api_client.post("/api/v1/auth/signup/banker/", BANKER_BODY, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "banker"
    assert BankerProfile.objects.get().verification_status == VerificationStatus.PENDING


@pytest.mark.parametrize("email", ["founder@example.com", "FOUNDER@EXAMPLE.COM", "Founder@example.COM"])
def test_signup_with_a_taken_email_answers_exactly_as_for_a_new_one(
    api_client: APIClient, email: str
) -> None:
    first = api_client.post("/api/v1/auth/signup/business-owner/", OWNER_BODY, format="json")
    send_queued_emails()
    mail.outbox.clear()
    again = api_client.post(
        "/api/v1/auth/signup/business-owner/", {**OWNER_BODY, "email": email}, format="json"
    )
    send_queued_emails()
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert User.objects.count() == 1
    [notice] = mail.outbox  # the address's owner hears of it, nobody else
    assert notice.to == ["founder@example.com"]
    assert "no new account was created" in notice.body


def test_signup_answers_for_new_and_taken_addresses_differ_only_in_the_email(
    api_client: APIClient, owner_a: User
) -> None:
    taken = api_client.post(
        "/api/v1/auth/signup/banker/", {**BANKER_BODY, "email": owner_a.email}, format="json"
    )
    new = api_client.post("/api/v1/auth/signup/banker/", BANKER_BODY, format="json")
    assert taken.status_code == new.status_code == 201
    assert {**taken.json(), "email": "x"} == {**new.json(), "email": "x"}
    assert taken.json()["email"] == owner_a.email


def test_signup_weak_password_is_400_naming_password(api_client: APIClient) -> None:
    response = api_client.post(
        "/api/v1/auth/signup/business-owner/", {**OWNER_BODY, "password": "12345"}, format="json"
    )
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.exists()


def test_signup_malformed_json_is_400(api_client: APIClient) -> None:
    response = api_client.post(
        "/api/v1/auth/signup/business-owner/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("role", "banker"), ("is_staff", True), ("verification_status", "verified")],
)
def test_signup_refuses_privileged_fields(api_client: APIClient, field: str, value: object) -> None:
    response = api_client.post("/api/v1/auth/signup/banker/", {**BANKER_BODY, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"min_loan_amount": "-5"}, "min_loan_amount"),
        ({"min_loan_amount": "abc"}, "min_loan_amount"),
        ({"max_loan_amount": "100.00"}, "max_loan_amount"),
        ({"products": []}, "products"),
        ({"products": ["payday"]}, "products"),
        ({"industries": ["mining"]}, "industries"),
        ({"min_loan_amount": "1.005"}, "min_loan_amount"),
    ],
)
def test_banker_signup_bad_profile_is_400(api_client: APIClient, changes: dict, field: str) -> None:
    response = api_client.post("/api/v1/auth/signup/banker/", {**BANKER_BODY, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


def test_token_login_and_use_and_revoke(api_client: APIClient, owner_a: User) -> None:
    response = api_client.post(
        "/api/v1/auth/token/", {"email": "Owner.A@Example.com", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["expires_at"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/me/").json()["email"] == "owner.a@example.com"
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    revoked = api_client.get("/api/v1/me/")
    assert revoked.status_code == 401
    assert revoked["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "body",
    [
        {"email": "owner.a@example.com", "password": "wrong-password"},
        {"email": "nobody@example.com", "password": PASSWORD},
    ],
)
def test_token_bad_credentials_is_400_with_same_message(
    api_client: APIClient, owner_a: User, body: dict
) -> None:
    response = api_client.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Unable to sign in with the email and password provided.",
        "code": "invalid_credentials",
    }


def test_expired_token_is_401(api_client: APIClient, owner_a: User) -> None:
    token = api_client.post(
        "/api/v1/auth/token/", {"email": owner_a.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer not-a-real-token"])
def test_malformed_or_unknown_bearer_is_401(api_client: APIClient, header: str) -> None:
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get("/api/v1/me/").status_code == 401


def test_token_of_deactivated_user_stops_working(api_client: APIClient, owner_a: User) -> None:
    token = api_client.post(
        "/api/v1/auth/token/", {"email": owner_a.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    User.objects.filter(pk=owner_a.pk).update(is_active=False)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/me/").status_code == 401


def test_me_returns_owner_profile(api_as, owner_a: User) -> None:  # type: ignore[no-untyped-def]
    body = api_as(owner_a).get("/api/v1/me/").json()
    assert body["role"] == "business_owner"
    assert body["profile"]["company_name"] == owner_a.owner_profile.company_name
    assert body["profile"]["annual_revenue"] == "1500000.00"


def test_me_patch_banker_profile(api_as, banker_x: User) -> None:  # type: ignore[no-untyped-def]
    response = api_as(banker_x).patch(
        "/api/v1/me/",
        {"first_name": "Xena", "profile": {"availability": "away", "products": ["sba_loan", "sba_loan"]}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["first_name"] == "Xena"
    assert response.json()["profile"]["availability"] == "away"
    assert response.json()["profile"]["products"] == ["sba_loan"]


@pytest.mark.parametrize(
    "body",
    [
        {"role": "banker"},
        {"is_staff": True},
        {"email": "new@example.com"},
        {"profile": {"verification_status": "verified"}},
        {"profile": {"min_loan_amount": "1000"}},
    ],
)
def test_owner_cannot_patch_privileged_or_banker_fields(api_as, owner_a: User, body: dict) -> None:  # type: ignore[no-untyped-def]
    response = api_as(owner_a).patch("/api/v1/me/", body, format="json")
    assert response.status_code == 400
    owner_a.refresh_from_db()
    assert owner_a.role == "business_owner"
    assert not owner_a.is_staff
    assert owner_a.email == "owner.a@example.com"


def test_banker_cannot_verify_self_via_me(api_as, pending_banker: User) -> None:  # type: ignore[no-untyped-def]
    response = api_as(pending_banker).patch(
        "/api/v1/me/", {"profile": {"verification_status": "verified"}}, format="json"
    )
    assert response.status_code == 400
    assert BankerProfile.objects.get(user=pending_banker).verification_status == "pending"


def test_me_patch_banker_max_below_existing_min_is_400(api_as, banker_x: User) -> None:  # type: ignore[no-untyped-def]
    response = api_as(banker_x).patch("/api/v1/me/", {"profile": {"max_loan_amount": "10.00"}}, format="json")
    assert response.status_code == 400
    assert BankerProfile.objects.get(user=banker_x).max_loan_amount is not None


def test_staff_verifies_banker(api_as, staff: User, pending_banker: User) -> None:  # type: ignore[no-untyped-def]
    response = api_as(staff).post(f"/api/v1/admin/bankers/{pending_banker.pk}/verify/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["verification_status"] == "verified"
    response = api_as(staff).post(
        f"/api/v1/admin/bankers/{pending_banker.pk}/verify/", {"status": "rejected"}, format="json"
    )
    assert response.json()["verification_status"] == "rejected"
    bad = api_as(staff).post(
        f"/api/v1/admin/bankers/{pending_banker.pk}/verify/", {"status": "maybe"}, format="json"
    )
    assert bad.status_code == 400


def test_session_api_call_requires_csrf(owner_a: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner_a)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.patch("/api/v1/me/", {"first_name": "Z"}, format="json").status_code == 403
    owner_a.refresh_from_db()
    assert owner_a.first_name != "Z"


def test_token_endpoint_is_throttled(api_client: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    # monkeypatch removes the class attribute afterwards; assigning the old value
    # back would leave a copy on ScopedRateThrottle that hides later patches.
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "auth": "3/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    codes = [
        api_client.post(
            "/api/v1/auth/token/", {"email": "a@b.co", "password": "x"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
