from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imported for their receivers: directory listing announcements, the login
        # receiver, the token cache's own forgetting, allauth's password and mfa signals.
        from . import listing_events, mfa_events, password_events, session_events, token_events  # noqa: F401
