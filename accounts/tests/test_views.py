from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "first_name": "Ola",
    "last_name": "Owner",
    "email": "Ola@Example.com",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
    "accept_terms": "on",
}


OWNER_PROFILE = {
    "company_name": "Ola Bakery",
    "industry": "hospitality",
    "years_in_business": "3",
    "country": "US",
}


def test_owner_signs_up_checks_the_inbox_then_signs_in_to_the_dashboard(client: Client) -> None:
    response = client.post(reverse("accounts:signup-owner"), {**ACCOUNT, **OWNER_PROFILE}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:signup-done")
    html = response.content.decode()
    assert "Check your inbox" in html
    assert "ola@example.com" in html
    assert "_auth_user_id" not in client.session  # not signed in by the sign-up itself
    assert User.objects.get().email == "ola@example.com"
    signed_in = client.post(
        reverse("authentication:login"), {"username": "ola@example.com", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("accounts:owner-home")
    assert "Ola Bakery" in signed_in.content.decode()


def test_banker_signup_says_verification_comes_next_and_the_dashboard_shows_it(client: Client) -> None:
    response = client.post(
        reverse("accounts:signup-banker"),
        {
            **ACCOUNT,
            "institution": "Harbor Bank",
            "products": ["term_loan", "sba_loan"],
            "min_loan_amount": "25000",
            "availability": "available",
            "country": "US",
        },
        follow=True,
    )
    assert "Our team verifies every banker" in response.content.decode()
    client.post(reverse("authentication:login"), {"username": "ola@example.com", "password": PASSWORD})
    assert "awaiting verification" in client.get(reverse("accounts:banker-home")).content.decode()


def test_signup_done_without_a_signup_goes_back_to_the_choice(client: Client) -> None:
    response = client.get(reverse("accounts:signup-done"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup")


def test_signup_form_shows_inline_errors_and_creates_nothing(client: Client) -> None:
    response = client.post(
        reverse("accounts:signup-banker"),
        {**ACCOUNT, "password_confirm": "different-pass-1", "institution": "", "min_loan_amount": "-1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The two passwords do not match." in html
    assert 'id="id_institution_errors"' in html
    institution = re.search(r'<input[^>]*id="id_institution"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'aria-invalid="true"' in institution
    assert 'aria-describedby="id_institution_errors"' in institution
    password = re.search(r'<input[^>]*id="id_password"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'aria-describedby="id_password_helptext"' in password  # help text, no error on this one
    assert not User.objects.exists()


def test_signup_form_reports_weak_password_from_service(client: Client) -> None:
    response = client.post(
        reverse("accounts:signup-owner"),
        {
            **ACCOUNT,
            "password": "1234567890",
            "password_confirm": "1234567890",
            "company_name": "X",
            "industry": "retail",
            "years_in_business": "1",
            "country": "US",
        },
    )
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_taken_email_any_case_looks_exactly_like_a_new_one(
    owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("accounts:signup-owner")
    with django_capture_on_commit_callbacks(execute=True):  # the new address's link leaves at commit
        taken = Client().post(url, {**ACCOUNT, **OWNER_PROFILE, "email": "OWNER.A@example.com"}, follow=True)
        new = Client().post(url, {**ACCOUNT, **OWNER_PROFILE}, follow=True)
    assert send_queued_emails() == 1  # the taken address's notice is a notification email
    assert taken.redirect_chain == new.redirect_chain
    html_taken = taken.content.decode().replace("owner.a@example.com", "EMAIL")
    html_new = new.content.decode().replace("ola@example.com", "EMAIL")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", html_taken) == strip.sub("", html_new)
    assert "already exists" not in html_taken
    assert User.objects.count() == 2  # owner_a and Ola
    assert sorted(m.to[0] for m in mail.outbox) == ["ola@example.com", "owner.a@example.com"]


def test_login_with_email_in_any_case(client: Client, owner_a: User) -> None:
    response = client.post(
        reverse("authentication:login"),
        {"username": "Owner.A@EXAMPLE.com", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:owner-home")


def test_login_wrong_password_shows_error(client: Client, owner_a: User) -> None:
    response = client.post(
        reverse("authentication:login"), {"username": owner_a.email, "password": "nope-nope"}
    )
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode()


def test_logout_ends_session(client: Client, owner_a: User) -> None:
    client.force_login(owner_a)
    client.post(reverse("authentication:logout"))
    assert client.get(reverse("accounts:owner-home")).status_code == 302


def test_dashboard_sends_each_role_home(client: Client, owner_a: User, banker_x: User, staff: User) -> None:
    for user, target in (
        (owner_a, "accounts:owner-home"),
        (banker_x, "accounts:banker-home"),
        (staff, "admin:index"),
    ):
        client.force_login(user)
        assert client.get(reverse("dashboard"))["Location"] == reverse(target)


def test_banker_saves_profile_settings(client: Client, banker_x: User) -> None:
    client.force_login(banker_x)
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Xan",
            "last_name": "Banker",
            "institution": "New Bank",
            "products": ["line_of_credit"],
            "industries": ["retail"],
            "min_loan_amount": "10000",
            "max_loan_amount": "",
            "availability": "busy",
            "country": "US",
        },
        follow=True,
    )
    assert "Your profile has been saved." in response.content.decode()
    profile = banker_x.banker_profile
    profile.refresh_from_db()
    assert profile.institution == "New Bank"
    assert profile.products == ["line_of_credit"]
    assert profile.max_loan_amount is None
    assert profile.accepting_new_clients is False  # unchecked box


def test_profile_settings_rejects_max_below_min_and_saves_nothing(client: Client, banker_x: User) -> None:
    client.force_login(banker_x)
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Xan",
            "last_name": "B",
            "institution": "Changed",
            "products": ["term_loan"],
            "min_loan_amount": "5000",
            "max_loan_amount": "100",
            "availability": "busy",
            "country": "US",
        },
    )
    assert "The maximum must be at least the minimum." in response.content.decode()
    banker_x.banker_profile.refresh_from_db()
    assert banker_x.banker_profile.institution == "First Harbor Bank"


def test_every_response_has_a_request_id(client: Client) -> None:
    first = client.get("/")["X-Request-ID"]
    assert len(first) >= 8
    assert client.get("/", HTTP_X_REQUEST_ID="proxy-id-12345")["X-Request-ID"] == "proxy-id-12345"
    assert client.get("/", HTTP_X_REQUEST_ID="bad id<script>")["X-Request-ID"] != "bad id<script>"


def test_healthz_reports_database_and_channel_layer(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "redis": "not_used",
        "job_queue": "ok",
        "jobs": {"waiting": 0, "oldest_waiting_seconds": None, "failed": 0},
    }


def test_healthz_is_503_when_channel_layer_is_down(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1"]},
        }
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["channel_layer"] == "down"
    assert response.json()["database"] == "ok"


def test_swagger_ui_is_served_without_cdn(client: Client) -> None:
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/v1/schema/").status_code == 200
