"""Announcements of sign-in that other apps react to (chat closes sockets)."""

from django.dispatch import Signal

# Sent inside the transaction that revokes the token; kwargs: token_id, user_id.
api_token_revoked = Signal()
# Sent inside the transaction that gives a user a new password (change or reset):
# their websockets must close (sessions and API tokens end in authentication.recovery).
# kwargs: user_id.
credentials_changed = Signal()
