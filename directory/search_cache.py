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

A search with an amount is searched and stored by its amount's class
(`amount_classes`): every amount between two consecutive ends of the bankers'
ranges answers alike, so an amount no one typed before is answered from the
cache when another amount of its class was searched under the same generation.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import astuple, replace
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import amount_classes
from .filters import SearchParams
from .selectors import BankerPage, banker_search_page

GENERATION_KEY = "directory:search:generation"
ENTRY_PREFIX = "directory:search:"

T = TypeVar("T")


@lru_cache(maxsize=1024)
def _entry_key(params: SearchParams, shape: str) -> str:
    """Memoized per process: the same few searches repeat, and hashing them
    cost as much as reading their entry. The bound keeps it small."""
    # Region matches case-insensitively, so "ca" and "CA" share an entry.
    normalized = astuple(replace(params, region=params.region.upper()))
    digest = hashlib.sha256(repr(normalized).encode()).hexdigest()
    return f"{ENTRY_PREFIX}{shape}:{digest}"


def _new_generation() -> str:
    generation = secrets.token_hex(8)
    cache.set(GENERATION_KEY, generation, None)
    return generation


def cache_keys(*, params: SearchParams, shape: str) -> list[str]:
    """What `cached_search` reads from the cache, for a caller that reads them
    along with something else (the API reads them with its throttle's count).
    The entry's key takes the amount's class from this process's latest
    boundaries: `cached_search` reads the entry again in the rare case that
    the generation read with it says they changed."""
    if settings.DIRECTORY_SEARCH_CACHE_SECONDS <= 0:
        return []
    return [GENERATION_KEY, _entry_key(amount_classes.by_class(params), shape)]


def cached_search(
    *,
    params: SearchParams,
    shape: str,
    build: Callable[[BankerPage], T],
    found: dict[str, Any] | None = None,
    use_estimates: bool = False,
    as_json: bool = False,
) -> T:
    """`build(selectors.banker_search_page(params))`, answered from the cache
    when the same search was answered since the directory last changed.

    `shape` names what `build` makes of the page (the page view keeps the rows,
    the API their rendered JSON), so each caller stores the form it serves and
    a hit costs it no conversion. `found`: what the caller already read of
    `cache_keys` (None: read them here). `use_estimates` and `as_json`: as
    `banker_search_page` takes them (a shape is always built one way). NotFound
    (a page past the results) is not cached."""
    timeout = settings.DIRECTORY_SEARCH_CACHE_SECONDS
    if timeout <= 0:
        return build(banker_search_page(params=params, use_estimates=use_estimates, as_json=as_json))
    guess = _entry_key(amount_classes.by_class(params), shape)  # the key `cache_keys` names
    if found is None:
        found = cache.get_many([GENERATION_KEY, guess])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # First search since the cache started (or lost the key): nothing older can be
        # valid. Made before the search, so the amount classes are read under it.
        generation = _new_generation()
    params = amount_classes.by_class(params, generation)
    key = _entry_key(params, shape)
    # Read again only if the generation brought new boundaries that moved the amount's class.
    entry = found.get(key) if key == guess else cache.get(key)
    if entry is not None and entry[0] == generation:
        value: T = entry[1]
        return value
    value = build(banker_search_page(params=params, use_estimates=use_estimates, as_json=as_json))
    cache.set(key, (generation, value), timeout)
    return value


def cached_banker_search_page(*, params: SearchParams) -> BankerPage:
    """One page of results (`selectors.banker_search_page`), through the cache."""
    return cached_search(params=params, shape="rows", build=_as_is)


def _as_is(page: BankerPage) -> BankerPage:
    return page


def search_cache_invalidate() -> None:
    """Make every cached search page stale, now and again when the current
    transaction commits (see the module docstring)."""
    _new_generation()
    transaction.on_commit(_new_generation)
