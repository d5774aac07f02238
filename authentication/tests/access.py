"""Access matrix entries for sign-in and security routes (pages and API)."""

from typing import Any

from tests.access import ANON_API, Case, same


def seed(world: Any) -> None:
    """Another owner (no actor, so no actor's sign-in needs a second step) has
    a passkey; no actor may rename or remove it (theirs: authentication/tests/test_two_factor.py)."""
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
    "authentication:login": [Case("get", same(302, anonymous=200))],
    "authentication:logout": [Case("post", same(302)), Case("get", same(405))],
    "authentication:security": [Case("get", same(200, anonymous="login"))],
    "authentication:two-factor-setup": [Case("get", same(200, anonymous="login"))],
    "authentication:two-factor-verify": [
        Case("get", same(302, anonymous="login"), note="not enrolled: nothing to verify")
    ],
    "api:token": [Case("post", same(400), data=lambda w: {}, api=True)],
    "api:logout": [Case("post", same(204, anonymous=ANON_API), api=True)],
    # Recovery and verification (issue #14). Pages: django-allauth's views at b2bbank's addresses.
    "authentication:email-status": [
        Case("get", same(200, anonymous="login")),
        Case(
            "post",
            same(302, anonymous="login"),
            note="sends a new link (verified: nothing), back to the page",
        ),
    ],
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
