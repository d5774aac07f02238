from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imported for their receivers: directory listing announcements, the login receiver.
        from . import listing_events, session_events  # noqa: F401
