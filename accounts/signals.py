"""Announcements other apps react to, like Django's own user_logged_out: accounts
does not need to know who holds sockets or caches for a user."""

from django.dispatch import Signal

# Sent inside the transaction that revokes the token; kwargs: token_id, user_id.
api_token_revoked = Signal()
# Sent inside the transaction that deactivates the user; kwargs: user_id.
user_deactivated = Signal()
# Sent whenever something the directory lists about a banker may have changed:
# profile, verification, name, account active flag; however it was written
# (services, admin, shell: see accounts.listing_events). kwargs: user_id.
banker_listing_changed = Signal()
# Sent inside the transaction that takes a banker's verification away (verified to
# pending or rejected): their open applications and conversations must stop.
# kwargs: banker_id, actor (the staff user, or None).
banker_verification_revoked = Signal()
# Sent inside the transaction that gives a user a new password (change or reset):
# their websockets must close (sessions and API tokens end in accounts.recovery).
# kwargs: user_id.
credentials_changed = Signal()
