"""axe-core finds no critical or serious issue on the main pages, as each
persona: anonymous visitor, business owner, banker, pending banker, admin."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.choices import VerificationStatus
from accounts.tests.factories import BankerFactory, OwnerFactory, StaffFactory
from chat import services as chat_services
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from tests.browser.axe import assert_accessible
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db: Any) -> dict[str, Any]:
    owner = OwnerFactory(email="ava@owner.example", first_name="Ava", last_name="Stone")
    banker = BankerFactory(email="ben@banker.example", first_name="Ben", last_name="Ortiz")
    pending = BankerFactory(
        email="pat@pending.example", profile__verification_status=VerificationStatus.PENDING
    )
    application = ApplicationFactory(owner=owner, banker=banker, status=Status.IN_REVIEW)
    convo, _ = chat_services.conversation_start(owner=owner, banker_id=banker.pk, message="Hello Ben")
    return {
        "owner": owner,
        "banker": banker,
        "pending": pending,
        "staff": StaffFactory(email="ada@staff.example"),
        "application": application,
        "conversation": convo,
    }


def visit_all(page: Any, paths: list[str]) -> None:
    for path in paths:
        page.goto(path)
        assert_accessible(page, path)


@pytest.mark.parametrize("width", [390, 1280])
def test_anonymous_pages(new_page: Any, people: dict[str, Any], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 900})
    visit_all(page, ["/", "/signup/", "/signup/business-owner/", "/signup/banker/", "/login/"])


@pytest.mark.parametrize("width", [390, 1280])
def test_owner_pages(new_page: Any, people: dict[str, Any], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, people["owner"].email, lands_on="/owner/")
    app, convo, banker = people["application"], people["conversation"], people["banker"]
    visit_all(
        page,
        [
            "/owner/",
            "/applications/",
            "/applications/new/",
            f"/applications/{app.pk}/",
            "/bankers/",
            f"/bankers/{banker.pk}/",
            "/messages/",
            f"/messages/{convo.pk}/",
            "/notifications/",
            "/account/profile/",
            "/account/security/",
        ],
    )


def test_banker_pages(new_page: Any, people: dict[str, Any]) -> None:
    page = new_page()
    log_in(page, people["banker"].email, lands_on="/banker/")
    app, convo = people["application"], people["conversation"]
    visit_all(
        page,
        [
            "/banker/",
            "/pipeline/",
            "/pipeline/in_review/",
            f"/applications/{app.pk}/",
            f"/messages/{convo.pk}/",
            "/account/profile/",
        ],
    )


def test_pending_banker_and_admin_pages(new_page: Any, people: dict[str, Any]) -> None:
    page = new_page()
    log_in(page, people["pending"].email, lands_on="/banker/")
    visit_all(page, ["/banker/", "/notifications/"])
    admin = new_page()
    log_in(admin, people["staff"].email)
    visit_all(admin, ["/admin/", "/admin/accounts/bankerprofile/"])
