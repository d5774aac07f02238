"""The directory reacts to accounts' announcements; accounts does not know the
directory caches searches."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.signals import banker_listing_changed

from .search_cache import search_cache_invalidate


@receiver(banker_listing_changed, dispatch_uid="directory.invalidate_search_cache")
def invalidate_search_cache(sender: Any, **kwargs: Any) -> None:
    search_cache_invalidate()
