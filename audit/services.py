"""Writing to the audit trail. Callers pass what changed; never a password, a
token or a message body (the values are stored and shown to admins)."""

from __future__ import annotations

from typing import Any

from django.db import models

from b2bbank.request_context import current_client_ip, current_request_id

from .models import AuditRecord


def audit_log(
    *,
    action: str,
    actor: Any = None,
    actor_email: str = "",
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record. Runs inside the caller's transaction, so a rolled-back
    change leaves no record claiming it happened."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    request_id = current_request_id.get()
    return AuditRecord.objects.create(
        action=action,
        actor_id=actor.pk if authenticated else None,
        actor_email=actor.email if authenticated else actor_email,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        before=before,
        after=after,
        ip_address=current_client_ip.get(),
        request_id="" if request_id == "-" else request_id,
    )
