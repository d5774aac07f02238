"""axe-core finds no critical or serious issue on any page, in each important
state (empty and full, each application status, form errors, error pages), as
each persona: anonymous visitor, business owner, banker, pending banker, admin.

Every page route of the URLconf is either visited here (`COVERED`) or listed
with the reason it is not a page (`NOT_PAGES`); `test_every_page_route_is_in_the_gate`
fails when a new route is in neither."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from accounts.choices import VerificationStatus
from accounts.tests.factories import PASSWORD, BankerFactory, OwnerFactory, StaffFactory
from authentication.tests.test_two_factor import add_passkey_record, add_recovery_codes, add_totp, code_for
from chat import services as chat_services
from chat.tests.factories import MessageFactory
from documents.tests.factories import DocumentFactory, DocumentRequestFactory
from loans.models import ApplicationTrack, Offer, Status, TrackStatus
from loans.tests.factories import ApplicationFactory, DraftFactory, make_offer
from tests.browser.axe import assert_accessible
from tests.browser.steps import log_in
from tests.browser.test_signup_journey import fill_account

# Route name -> where the gate visits it.
COVERED = {
    "home": "anonymous",
    "accounts:signup": "anonymous",
    "accounts:signup-owner": "anonymous, and with form errors",
    "accounts:signup-banker": "anonymous",
    "authentication:login": "anonymous, and with a wrong password",
    "accounts:support": "anonymous and owner",
    "accounts:terms": "anonymous",
    "accounts:privacy": "anonymous",
    "accounts:account-closed": "anonymous",
    "account_reset_password": "anonymous, and with form errors",
    "account_reset_password_done": "anonymous",
    "account_reset_password_from_key": "anonymous, a bad key",
    "account_reset_password_from_key_done": "anonymous",
    "account_email_verification_sent": "anonymous",
    "account_confirm_email": "anonymous, a bad key",
    "authentication:two-factor-verify": "an owner with two-factor authentication",
    "accounts:signup-done": "an owner just signed up (anonymous until they confirm)",
    "accounts:owner-home": "owner, empty and full",
    "accounts:banker-home": "banker, pending banker",
    "accounts:banker-verification": "banker, pending banker",
    "accounts:profile": "owner, banker",
    "authentication:security": "owner",
    "authentication:two-factor-setup": "owner",
    "mfa_reauthenticate": "an owner with two factors",
    "mfa_activate_totp": "owner, reauthenticated",
    "mfa_deactivate_totp": "an owner with two factors",
    "mfa_view_recovery_codes": "an owner with two factors",
    "mfa_generate_recovery_codes": "an owner with two factors",
    "mfa_list_webauthn": "owner, and an owner with a passkey",
    "mfa_add_webauthn": "owner, reauthenticated",
    "mfa_edit_webauthn": "an owner with a passkey",
    "mfa_remove_webauthn": "an owner with a passkey",
    "authentication:email-status": "owner",
    "accounts:account-close": "owner, and with a wrong password",
    "account_change_password": "owner, and with form errors",
    "account_email": "owner",
    "account_reauthenticate": "owner",
    "directory:search": "owner",
    "directory:profile": "owner",
    "loans:list": "owner, empty and full",
    "loans:new": "owner, and with form errors",
    "loans:detail": "owner and banker, in every status",
    "loans:edit": "owner, a draft",
    "loans:action": "owner (respond, withdraw), banker (request info, make an offer + errors + confirm, decline)",
    "loans:offer-action": "owner (accept + confirm, decline), banker (withdraw)",
    "loans:pipeline": "banker",
    "loans:pipeline-stage": "banker",
    "loans:pipeline-charts": "banker",
    "loans:platform-charts": "admin",
    "chat:inbox": "owner, empty and full",
    "chat:conversation": "owner and banker, with messages",
    "notifications:list": "owner, pending banker",
}

# Route name -> why the gate does not visit it.
NOT_PAGES = {
    "healthz": "JSON health check",
    "dashboard": "redirects to the role's dashboard (visited)",
    "api-docs": "Swagger UI, drf-spectacular's page for developers",
    "account_login": "allauth's name for /login/ (authentication:login answers it)",
    "account_signup": "allauth's name for /signup/ (accounts:signup answers it)",
    "authentication:logout": "POST only",
    "mfa_index": "allauth's name for /account/security/ (authentication:security answers it)",
    "mfa_download_recovery_codes": "a text file, not a page",
    "mfa_authenticate": "allauth's own second step; b2bbank's is authentication:two-factor-verify (visited)",
    "mfa_login_webauthn": "POST only (the passkey button on /login/, visited; tests/browser/test_passkey_journey.py)",
    "mfa_reauthenticate_webauthn": "a WebAuthn ceremony (tests/browser/test_passkey_journey.py runs axe on passkey pages)",
    "chat:start": "POST only (the banker profile's Message button)",
    "notifications:open": "POST only",
    "notifications:mark-all-read": "POST only",
    "documents:upload": "POST only (the form is on the application page, visited)",
    "documents:request": "POST only (the form is on the application page, visited)",
    "documents:review": "POST only (the form is on the application page, visited)",
    "documents:delete": "POST only (the button is on the application page, visited)",
}


def page_routes() -> set[str]:
    """Every named route outside the API and Django admin."""

    def walk(patterns: list[Any], namespace: str | None) -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("api", "admin"):
                    continue
                names |= walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        return names

    return walk(get_resolver().url_patterns, None)


def test_every_page_route_is_in_the_gate() -> None:
    routes = page_routes()
    assert not routes - set(COVERED) - set(NOT_PAGES), "add the new page to the axe gate (COVERED)"
    assert not (set(COVERED) | set(NOT_PAGES)) - routes, "a listed route no longer exists"
    assert not set(COVERED) & set(NOT_PAGES)


def visit_all(page: Any, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status < 400 or path.startswith("/nothing"), f"{path}: {response.status}"
        route = resolve(page.url.split(page.url.split("/")[2], 1)[1].split("?")[0]).view_name
        assert route in COVERED or route.startswith("admin:"), f"{path} ({route}) missing from COVERED"
        assert_accessible(page, path)


def state(page: Any, label: str) -> None:
    """The page as it is now (after a form was sent, say)."""
    assert_accessible(page, label)


def send(page: Any, button: str) -> None:
    """Send the form as it is, past the browser's own checks, so the server's
    errors show (the state a user without those checks sees)."""
    page.evaluate("() => document.querySelectorAll('form').forEach(f => { f.noValidate = true; })")
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


@pytest.fixture
def people(transactional_db: Any) -> dict[str, Any]:
    owner = OwnerFactory(email="ava@owner.example", first_name="Ava", last_name="Stone")
    banker = BankerFactory(email="ben@banker.example", first_name="Ben", last_name="Ortiz")
    other_banker = BankerFactory(email="cy@banker.example", first_name="Cy", last_name="Park")
    pending = BankerFactory(
        email="pat@pending.example", profile__verification_status=VerificationStatus.PENDING
    )
    apps = {status: ApplicationFactory(owner=owner, banker=banker, status=status) for status in Status}
    apps[Status.DRAFT] = DraftFactory(owner=owner)
    apps[Status.EXPIRED] = ApplicationFactory(
        owner=owner, banker=banker, status=Status.APPROVED, purpose="Ran out"
    )
    Offer.objects.filter(track__application=apps[Status.EXPIRED]).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    compare = apps[Status.APPROVED]
    second = ApplicationTrack.objects.create(
        application=compare, banker=other_banker, status=TrackStatus.OFFERED
    )
    make_offer(second, interest_rate="6.9", approved_amount="150000")
    reviewing = apps[Status.IN_REVIEW]
    DocumentRequestFactory(application=reviewing, requested_by=banker)
    DocumentFactory(application=reviewing)
    convo, _ = chat_services.conversation_start(owner=owner, banker_id=banker.pk, message="Hello Ben")
    for body in ("Do you finance vans?", "Yes, up to 7 years.", "A long word: " + "x" * 120):
        sender = banker if body.startswith("Yes") else owner
        MessageFactory(conversation=convo, sender=sender, body=body)
    return {
        "owner": owner,
        "empty_owner": OwnerFactory(email="new@owner.example"),
        "banker": banker,
        "pending": pending,
        "staff": StaffFactory(email="ada@staff.example"),
        "apps": apps,
        "offer": Offer.objects.filter(track__application=compare).order_by("pk").first(),
        "conversation": convo,
    }


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_anonymous_pages(new_page: Any, people: dict[str, Any], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 900})
    visit_all(
        page,
        [
            "/",
            "/signup/",
            "/signup/business-owner/",
            "/signup/banker/",
            "/login/",
            "/terms/",
            "/privacy/",
            "/support/",
            "/account/closed/",
            "/password/reset/",
            "/password/reset/done/",
            "/password/reset/key/1-not-a-key/",
            "/password/reset/key/done/",
            "/email/confirm/",
            "/email/confirm/not-a-key/",
        ],
    )


@pytest.mark.browser
def test_anonymous_form_errors_and_error_pages(new_page: Any, people: dict[str, Any]) -> None:
    page = new_page(viewport={"width": 390, "height": 900})
    page.goto("/login/")
    page.get_by_label("Email").fill("ava@owner.example")
    page.locator("#id_password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    state(page, "login: wrong password")
    page.goto("/signup/business-owner/")
    send(page, "Create account")
    state(page, "sign-up: empty form")
    page.goto("/password/reset/")
    send(page, "Email me a reset link")
    state(page, "password reset: empty form")
    response = page.goto("/nothing-here/")
    assert response is not None
    assert response.status == 404
    state(page, "404")
    # A form sent without its CSRF token: the 403 CSRF page.
    page.goto("/login/")
    page.evaluate("() => { document.querySelector('input[name=csrfmiddlewaretoken]').remove(); }")
    page.get_by_label("Email").fill("ava@owner.example")
    page.locator("#id_password").fill("whatever")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading").first.wait_for()
    assert "CSRF" in page.content() or "form" in page.content().lower()
    state(page, "CSRF failure")


@pytest.mark.browser
def test_signup_done_and_two_factor_verify(new_page: Any, people: dict[str, Any]) -> None:
    page = new_page()
    page.goto("/signup/business-owner/")
    fill_account(page, "noa@owner.example")
    page.get_by_label("Company name").fill("Hill Farms")
    page.get_by_label("Industry").select_option("agriculture")
    page.get_by_label("Years in business").fill("4")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/signup/done/")
    state(page, "/signup/done/")

    two_factor = OwnerFactory(email="otp@owner.example")
    add_totp(two_factor)
    verify = new_page()
    log_in(verify, two_factor.email)
    verify.wait_for_url("**/login/verify/**")
    state(verify, "/login/verify/")


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_second_factor_pages(new_page: Any, people: dict[str, Any], width: int) -> None:
    owner = OwnerFactory(email="factors@owner.example")
    secret = add_totp(owner)
    add_recovery_codes(owner)
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, owner.email)
    page.wait_for_url("**/login/verify/**")
    page.locator("#id_code").fill(code_for(secret))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/owner/")
    visit_all(page, ["/account/security/reauthenticate/"])
    page.goto("/account/reauthenticate/?next=/account/security/")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/account/security/")
    visit_all(
        page,
        [
            "/account/security/totp/off/",
            "/account/security/recovery-codes/",
            "/account/security/recovery-codes/new/",
            "/account/security/passkeys/add/",
        ],
    )
    # A stand-in row without a real credential (no ceremony can use it), so it is
    # added only for the pages that list, rename and remove passkeys.
    passkey = add_passkey_record(owner)
    visit_all(
        page,
        [
            "/account/security/passkeys/",
            f"/account/security/passkeys/{passkey.pk}/rename/",
            f"/account/security/passkeys/{passkey.pk}/remove/",
        ],
    )
    fresh = new_page(viewport={"width": width, "height": 900})
    log_in(fresh, people["empty_owner"].email, lands_on="/owner/")
    fresh.goto("/account/reauthenticate/?next=/account/security/")
    fresh.locator("#id_password").fill(PASSWORD)
    fresh.get_by_role("button", name="Continue").click()
    fresh.wait_for_url("**/account/security/")
    visit_all(fresh, ["/account/security/totp/", "/account/security/passkeys/"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_owner_pages(new_page: Any, people: dict[str, Any], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, people["owner"].email, lands_on="/owner/")
    apps, convo, banker = people["apps"], people["conversation"], people["banker"]
    visit_all(
        page,
        [
            "/owner/",
            "/applications/",
            "/applications/new/",
            *[f"/applications/{a.pk}/" for a in apps.values()],
            f"/applications/{apps[Status.DRAFT].pk}/edit/",
            f"/applications/{apps[Status.INFO_REQUESTED].pk}/respond/",
            f"/applications/{apps[Status.IN_REVIEW].pk}/withdraw/",
            f"/applications/{apps[Status.APPROVED].pk}/offers/{people['offer'].pk}/accept/",
            f"/applications/{apps[Status.APPROVED].pk}/offers/{people['offer'].pk}/decline/",
            "/bankers/",
            f"/bankers/{banker.pk}/",
            "/messages/",
            f"/messages/{convo.pk}/",
            "/notifications/",
            "/account/profile/",
            "/account/security/",
            "/account/security/setup/",
            "/account/password/",
            "/account/email/",
            "/account/email/verify/",
            "/account/reauthenticate/",
            "/account/close/",
            "/support/",
        ],
    )


@pytest.mark.browser
def test_owner_states(new_page: Any, people: dict[str, Any]) -> None:
    page = new_page(viewport={"width": 390, "height": 900})
    log_in(page, people["owner"].email, lands_on="/owner/")
    page.goto("/applications/new/")
    send(page, "Submit application")
    state(page, "new application: empty form")
    compare = people["apps"][Status.APPROVED]
    page.goto(f"/applications/{compare.pk}/offers/{people['offer'].pk}/accept/")
    page.get_by_role("button", name="Review…").click()
    state(page, "accept offer: confirm step")
    page.goto("/account/password/")
    send(page, "Change password")
    state(page, "password change: empty form")
    page.goto("/account/close/")
    send(page, "Close my account")
    state(page, "close account: no password")
    response = page.goto("/pipeline/")
    assert response is not None
    assert response.status == 403
    state(page, "403")
    empty = new_page(viewport={"width": 390, "height": 900})
    log_in(empty, people["empty_owner"].email, lands_on="/owner/")
    visit_all(empty, ["/owner/", "/applications/", "/messages/"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_banker_pages(new_page: Any, people: dict[str, Any], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 900})
    log_in(page, people["banker"].email, lands_on="/banker/")
    apps, convo = people["apps"], people["conversation"]
    offered = apps[Status.APPROVED]
    banker_offer = Offer.objects.get(track__application=offered, track__banker=people["banker"])
    visit_all(
        page,
        [
            "/banker/",
            "/pipeline/",
            "/pipeline/in_review/",
            "/pipeline/declined/",
            "/pipeline/charts/",
            *[f"/applications/{a.pk}/" for s, a in apps.items() if s != Status.DRAFT],
            f"/applications/{apps[Status.SUBMITTED].pk}/start-review/",
            f"/applications/{apps[Status.IN_REVIEW].pk}/request-info/",
            f"/applications/{apps[Status.IN_REVIEW].pk}/approve/",
            f"/applications/{apps[Status.IN_REVIEW].pk}/decline/",
            f"/applications/{offered.pk}/offers/{banker_offer.pk}/withdraw/",
            f"/messages/{convo.pk}/",
            "/banker/verification/",
            "/account/profile/",
        ],
    )


@pytest.mark.browser
def test_banker_states(new_page: Any, people: dict[str, Any]) -> None:
    page = new_page(viewport={"width": 390, "height": 900})
    log_in(page, people["banker"].email, lands_on="/banker/")
    reviewing = people["apps"][Status.IN_REVIEW]
    page.goto(f"/applications/{reviewing.pk}/approve/")
    send(page, "Review…")
    state(page, "make an offer: empty form")
    page.get_by_label("Approved amount (USD)").fill("100000")
    page.get_by_label("Interest rate (% per year)").fill("7.5")
    page.get_by_label("Term (months)").fill("36")
    page.get_by_role("button", name="Review…").click()
    page.get_by_role("button", name="Send offer").wait_for()
    state(page, "make an offer: confirm step")


@pytest.mark.browser
def test_pending_banker_and_admin_pages(new_page: Any, people: dict[str, Any]) -> None:
    page = new_page()
    log_in(page, people["pending"].email, lands_on="/banker/")
    visit_all(page, ["/banker/", "/banker/verification/", "/notifications/"])
    admin = new_page()
    log_in(admin, people["staff"].email)
    visit_all(
        admin,
        [
            "/admin/",
            "/admin/accounts/bankerprofile/",
            f"/admin/accounts/bankerprofile/{people['pending'].pk}/change/",
            "/platform/charts/",
        ],
    )
