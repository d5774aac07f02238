"""Announcements other apps react to, like Django's own user_logged_out: accounts
does not need to know who holds sockets or caches for a user."""

from django.dispatch import Signal

# Sent inside the transaction that revokes the token; kwargs: token_id, user_id.
api_token_revoked = Signal()
# Sent inside the transaction that deactivates the user; kwargs: user_id.
user_deactivated = Signal()
