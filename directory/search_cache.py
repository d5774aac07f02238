"""A short-lived, shared cache of search pages.

Business owners repeat the same few searches ("equipment financing in CA") far
more often than bankers change their listings, and a cached page costs one
round trip to the cache instead of a search in PostgreSQL (docs/performance.md,
"Directory search"). Correctness does not rest on the expiry:

- every entry carries the *generation* it was computed under; any change to a
  banker's listing (accounts.signals.banker_listing_changed: profile,
  verification, name, deactivation, admin edits) replaces the generation, so
  every older entry is ignored from then on, in every process;
- the generation is replaced when the change happens and again after its
  transaction commits, so a search that ran in between (and saw the old rows)
  cannot be stored under the new generation;
- the expiry (DIRECTORY_SEARCH_CACHE_SECONDS, 0 turns the cache off) bounds what
  a lost invalidation could cost, e.g. if Redis was unreachable at that moment
  (b2bbank.resilient_cache drops writes while Redis is down).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import astuple, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .filters import SearchParams
from .selectors import BankerPage, banker_search_page

GENERATION_KEY = "directory:search:generation"
ENTRY_PREFIX = "directory:search:page:"


def _entry_key(params: SearchParams) -> str:
    # Region matches case-insensitively, so "ca" and "CA" share an entry.
    normalized = astuple(replace(params, region=params.region.upper()))
    digest = hashlib.sha256(repr(normalized).encode()).hexdigest()
    return ENTRY_PREFIX + digest


def _new_generation() -> str:
    generation = secrets.token_hex(8)
    cache.set(GENERATION_KEY, generation, None)
    return generation


def cached_banker_search_page(*, params: SearchParams) -> BankerPage:
    """`selectors.banker_search_page`, answered from the cache when the same
    search was answered since the directory last changed. NotFound (a page past
    the results) is not cached."""
    timeout = settings.DIRECTORY_SEARCH_CACHE_SECONDS
    if timeout <= 0:
        return banker_search_page(params=params)
    key = _entry_key(params)
    found: dict[str, Any] = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        page: BankerPage = entry[1]
        return page
    page = banker_search_page(params=params)
    if generation is None:
        # First search since the cache started (or lost the key): nothing older can be valid.
        generation = _new_generation()
    cache.set(key, (generation, page), timeout)
    return page


def search_cache_invalidate() -> None:
    """Make every cached search page stale, now and again when the current
    transaction commits (see the module docstring)."""
    _new_generation()
    transaction.on_commit(_new_generation)
