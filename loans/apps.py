from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "loans"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the verification-revoked receiver)
