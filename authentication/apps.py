from django.apps import AppConfig


class AuthenticationConfig(AppConfig):
    """Sign-in and its security: passwords and recovery (django-allauth), second
    factors (allauth.mfa), lockout, sessions and their limits, API tokens and the
    token cache, websocket sign-in. Users, roles and profiles are `accounts`."""

    name = "authentication"
    verbose_name = "Sign-in and security"

    def ready(self) -> None:
        # Imported for their receivers: the login receiver, the token cache's own
        # forgetting and token revocation on deactivation, allauth's password and mfa signals.
        from . import mfa_events, password_events, services, session_events, token_events  # noqa: F401
