"""Announce `banker_listing_changed` for every write to what the directory lists,
whichever path made it: services, Django admin, or a management shell. Model
signals catch `save()` and `delete()`; the one bulk `update()` on banker
profiles (accounts.services.banker_sync_display_name) announces itself.

The directory's listing table itself does not rest on these: PostgreSQL
triggers keep it in step (directory migration 0001), plain SQL included. These
announcements only make cached search pages stale (directory.search_cache)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import BankerProfile, User
from .signals import banker_listing_changed

# User fields the directory shows or filters on.
LISTED_USER_FIELDS = frozenset({"first_name", "last_name", "is_active"})


@receiver(post_save, sender=BankerProfile, dispatch_uid="accounts.listing_saved")
@receiver(post_delete, sender=BankerProfile, dispatch_uid="accounts.listing_deleted")
def profile_written(sender: Any, instance: BankerProfile, **kwargs: Any) -> None:
    banker_listing_changed.send(sender=BankerProfile, user_id=instance.user_id)


@receiver(post_save, sender=User, dispatch_uid="accounts.banker_user_saved")
@receiver(post_delete, sender=User, dispatch_uid="accounts.banker_user_deleted")
def user_written(sender: Any, instance: User, **kwargs: Any) -> None:
    if not instance.is_banker or kwargs.get("created"):
        return  # a new banker has no profile yet; it is listed once verified
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not LISTED_USER_FIELDS & set(update_fields):
        return  # e.g. last_login at every sign-in
    banker_listing_changed.send(sender=User, user_id=instance.pk)
