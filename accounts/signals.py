"""Announcements other apps react to, like Django's own user_logged_out: accounts
does not need to know who holds sockets or caches for a user."""

from django.dispatch import Signal

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
# Sent inside the transaction that creates an account (sign-up): its address is
# to be confirmed (authentication.recovery sends the link). kwargs: user.
account_created = Signal()
