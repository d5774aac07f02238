"""Access matrix entries for accounts routes (pages and API)."""

from typing import Any

from tests.access import ANON_API, Case, same


def seed(world: Any) -> None:
    """Another owner (no actor, so no actor's sign-in needs a second step) has
    a passkey; no actor may rename or remove it (theirs: tests/test_two_factor.py)."""
    if "passkey" in world.objects:
        return
    from allauth.mfa.models import Authenticator

    from accounts.tests.factories import OwnerFactory

    world.objects["passkey"] = Authenticator.objects.create(
        user=OwnerFactory(), type=Authenticator.Type.WEBAUTHN, data={"name": "Phone", "credential": {}}
    )


def _passkey(world: Any) -> dict[str, Any]:
    return {"pk": world.objects["passkey"].pk}


# Adding, changing or removing a factor first asks for the password again
# (allauth's reauthentication): a signed-in actor is redirected there.
REAUTH = same(302, anonymous="login")

ROUTES = {
    "accounts:signup": [Case("get", same(302, anonymous=200))],
    "accounts:signup-owner": [Case("get", same(302, anonymous=200))],
    "accounts:signup-banker": [Case("get", same(302, anonymous=200))],
    "accounts:signup-done": [Case("get", same(302))],
    "accounts:login": [Case("get", same(302, anonymous=200))],
    "accounts:logout": [Case("post", same(302)), Case("get", same(405))],
    "accounts:owner-home": [Case("get", same(403, anonymous="login", owner_a=200, owner_b=200))],
    "accounts:banker-verification": [
        Case("get", same(403, anonymous="login", banker_x=200, banker_y=200)),
        Case(
            "post",
            same(403, anonymous="login", banker_x=200, banker_y=200),
            data=lambda w: {},
            note="invalid form re-renders",
        ),
    ],
    "accounts:banker-home": [Case("get", same(403, anonymous="login", banker_x=200, banker_y=200))],
    "accounts:profile": [
        Case("get", same(200, anonymous="login", staff=403)),
        Case(
            "post", same(200, anonymous="login", staff=403), data=lambda w: {}, note="invalid form re-renders"
        ),
    ],
    "accounts:security": [Case("get", same(200, anonymous="login"))],
    "accounts:two-factor-setup": [Case("get", same(200, anonymous="login"))],
    "accounts:two-factor-verify": [
        Case("get", same(302, anonymous="login"), note="not enrolled: nothing to verify")
    ],
    "api:signup-business-owner": [Case("post", same(400), data=lambda w: {}, api=True)],
    "api:signup-banker": [Case("post", same(400), data=lambda w: {}, api=True)],
    "api:token": [Case("post", same(400), data=lambda w: {}, api=True)],
    "api:logout": [Case("post", same(204, anonymous=ANON_API), api=True)],
    "api:me": [
        Case("get", same(200, anonymous=ANON_API), api=True),
        Case("patch", same(200, anonymous=ANON_API), data=lambda w: {}, api=True),
    ],
    "api:banker-verify": [
        Case(
            "post",
            same(403, anonymous=ANON_API, staff=200),
            kwargs=lambda w: {"banker_id": w.banker_y.pk},
            data=lambda w: {"status": "verified"},
            api=True,
        ),
        Case(
            "post",
            same(403, anonymous=ANON_API, staff=404),
            kwargs=lambda w: {"banker_id": w.owner_a.pk},
            data=lambda w: {},
            api=True,
            note="an owner's id is not a banker",
        ),
    ],
    # Recovery and verification (issue #14). Pages: django-allauth's views at b2bbank's addresses.
    "accounts:email-status": [
        Case("get", same(200, anonymous="login")),
        Case(
            "post",
            same(302, anonymous="login"),
            note="sends a new link (verified: nothing), back to the page",
        ),
    ],
    "accounts:support": [Case("get", same(200))],
    "accounts:terms": [Case("get", same(200))],
    "accounts:privacy": [Case("get", same(200))],
    "accounts:account-close": [
        Case("get", same(200, anonymous="login")),
        Case(
            "post",
            same(200, anonymous="login"),
            data=lambda w: {},
            note="no password: re-renders, closes nothing",
        ),
    ],
    "accounts:account-closed": [Case("get", same(302), note="only right after closing; otherwise home")],
    "account_reset_password": [
        Case("get", same(200)),
        Case("post", same(302), data=lambda w: {"email": "someone@example.com"}, note="to the done page"),
    ],
    "account_reset_password_done": [Case("get", same(200))],
    "account_reset_password_from_key": [
        Case(
            "get",
            same(200),
            kwargs=lambda w: {"uidb36": "1", "key": "bogus-key"},
            note="says the link is dead",
        )
    ],
    "account_reset_password_from_key_done": [Case("get", same(200))],
    "account_change_password": [
        Case("get", same(200, anonymous="login")),
        Case("post", same(200, anonymous="login"), data=lambda w: {}, note="invalid form re-renders"),
    ],
    "account_email": [Case("get", same(200, anonymous="login"))],
    "account_reauthenticate": [Case("get", same(200, anonymous="login"))],
    "account_email_verification_sent": [Case("get", same(200))],
    "account_confirm_email": [
        Case("get", same(200), kwargs=lambda w: {"key": "bogus"}, note="says the link is dead")
    ],
    "account_login": [Case("get", same(302, anonymous=200))],
    "account_signup": [Case("get", same(302, anonymous=200))],
    # Second factors (allauth.mfa, issue #14 item 5).
    "mfa_index": [Case("get", same(200, anonymous="login"), note="b2bbank's security page")],
    "mfa_reauthenticate": [Case("get", same(302, anonymous="login"), note="no code factor: nothing to ask")],
    "mfa_activate_totp": [Case("get", REAUTH), Case("post", REAUTH, data=lambda w: {})],
    "mfa_deactivate_totp": [Case("get", same(404, anonymous="login"), note="no app to turn off")],
    "mfa_view_recovery_codes": [Case("get", same(404, anonymous="login"), note="none made yet")],
    "mfa_generate_recovery_codes": [Case("get", REAUTH), Case("post", REAUTH, data=lambda w: {})],
    "mfa_download_recovery_codes": [Case("get", same(404, anonymous="login"))],
    "mfa_list_webauthn": [Case("get", same(200, anonymous="login"))],
    "mfa_add_webauthn": [Case("get", REAUTH), Case("post", REAUTH, data=lambda w: {})],
    "mfa_reauthenticate_webauthn": [
        Case("get", same(302, anonymous="login"), note="no passkey: to the password instead")
    ],
    "mfa_remove_webauthn": [
        Case("post", same(404, anonymous="login"), kwargs=_passkey, note="someone else's passkey"),
        Case("get", REAUTH, kwargs=_passkey, note="reauth before anything; the page itself is owner-only"),
    ],
    "mfa_edit_webauthn": [Case("get", REAUTH, kwargs=_passkey, note="reauth first; then owner-only (404)")],
    "mfa_authenticate": [Case("get", same(302), note="only inside allauth's own sign-in")],
    "mfa_login_webauthn": [
        Case("get", same(302), note="the options are JSON for the page's script; a visit goes to /login/"),
        Case("post", same(302), data=lambda w: {}, note="no credential: back to /login/, nobody signed in"),
    ],
    "api:password-reset": [
        Case("post", same(202), data=lambda w: {"email": "someone@example.com"}, api=True),
        Case("post", same(400), data=lambda w: {}, api=True),
    ],
    "api:password-reset-confirm": [
        Case("post", same(400), data=lambda w: {"key": "1-bogus", "new_password": "x" * 12}, api=True)
    ],
    "api:password-change": [
        Case("post", same(400, anonymous=ANON_API), data=lambda w: {}, api=True),
    ],
    "api:email-verify": [Case("post", same(400), data=lambda w: {"key": "bogus"}, api=True)],
    "api:email-resend": [Case("post", same(202, anonymous=ANON_API), api=True)],
}
