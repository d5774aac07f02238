"""Closing an account on the holder's request: sign-in ends, records stay."""

from __future__ import annotations

from django.db import transaction

from notifications.services import notification_create

from .models import User
from .services import user_deactivate

# What a closed account keeps, said to the user on the page and in the email.
KEPT = (
    "What we keep: your loan applications and their history, your conversations with bankers, "
    "and the audit records of what was done on your account. A bank must keep these records "
    "(record-keeping and anti-money-laundering rules), and the bankers you worked with keep "
    "seeing the applications and messages you sent them. What ends: signing in, every session, "
    "API token and open chat, and any listing in the banker directory."
)


@transaction.atomic
def account_close(*, user: User) -> None:
    """The user closes their own account (accounts.services.user_deactivate with
    the user as actor), and is told by email what is kept."""
    notification_create(
        recipient=user,
        kind="account.closed",
        title="Your b2bbank account is closed",
        body=(
            "You closed your b2bbank account. You can no longer sign in. "
            f"{KEPT} To reopen it, write to support from this address."
        ),
    )
    user_deactivate(user_id=user.pk, actor=user)
