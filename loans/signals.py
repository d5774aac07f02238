"""Loans reacts to accounts' announcements (accounts does not import loans)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.signals import banker_verification_revoked

from .services import applications_release_from_banker


@receiver(banker_verification_revoked, dispatch_uid="loans.release_on_verification_revoked")
def release_on_verification_revoked(sender: Any, banker_id: int, actor: Any = None, **kwargs: Any) -> None:
    applications_release_from_banker(banker_id=banker_id, actor=actor)
