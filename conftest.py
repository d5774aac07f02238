"""Fixtures every app's tests share: the six actors of the permission matrix and
API clients for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.choices import VerificationStatus
from accounts.tests.factories import BankerFactory, OwnerFactory, StaffFactory

ACTORS = ("anonymous", "owner_a", "owner_b", "banker_x", "banker_y", "staff")


@dataclass
class World:
    """Seeded users (and, per app, objects) the access matrix runs against."""

    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            try:
                return self.__dict__["objects"][name]
            except KeyError:
                raise AttributeError(name) from None


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the test database rolls back, a
    process-local cache would not (throttle counters, cached directory searches,
    the directory's remembered estimates)."""
    from django.core.cache import cache

    from authentication.token_cache import token_cache
    from directory import estimates

    cache.clear()
    token_cache.forget_all()
    estimates.forget()


@pytest.fixture(scope="session", autouse=True)
def _token_cache_listener_stopped_before_teardown(django_db_setup):  # type: ignore[no-untyped-def]
    """The token cache's listener holds a connection to the test database, which
    must be closed before the database is dropped."""
    from authentication.token_cache import token_cache

    yield
    token_cache.stop()


@pytest.fixture
def owner_a(db):  # type: ignore[no-untyped-def]
    return OwnerFactory(email="owner.a@example.com")


@pytest.fixture
def owner_b(db):  # type: ignore[no-untyped-def]
    return OwnerFactory(email="owner.b@example.com")


@pytest.fixture
def banker_x(db):  # type: ignore[no-untyped-def]
    return BankerFactory(email="banker.x@example.com")


@pytest.fixture
def banker_y(db):  # type: ignore[no-untyped-def]
    return BankerFactory(email="banker.y@example.com")


@pytest.fixture
def pending_banker(db):  # type: ignore[no-untyped-def]
    return BankerFactory(email="pending@example.com", profile__verification_status=VerificationStatus.PENDING)


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return StaffFactory(email="staff@example.com")


@pytest.fixture
def world(owner_a, owner_b, banker_x, banker_y, staff) -> World:  # type: ignore[no-untyped-def]
    return World(
        users={
            "anonymous": None,
            "owner_a": owner_a,
            "owner_b": owner_b,
            "banker_x": banker_x,
            "banker_y": banker_y,
            "staff": staff,
        }
    )


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[int], dict[str, Any]]]:
    """Every event handed to the channel layer, as (sorted user ids, frame)."""
    from b2bbank import realtime

    sent: list[tuple[list[int], dict[str, Any]]] = []
    monkeypatch.setattr(
        realtime, "publish", lambda user_ids, event: sent.append((sorted(set(user_ids)), event))
    )
    monkeypatch.setattr(
        realtime,
        "publish_all",
        lambda items: sent.extend((sorted(set(user_ids)), event) for user_ids, event in items),
    )
    return sent


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    return client_for


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running
    in the main thread for the session, which async_to_sync refuses to share."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def clean_queue(transactional_db):  # type: ignore[no-untyped-def]
    """An empty job queue before and after a test that runs a worker."""
    from tests.jobs import purge_jobs

    purge_jobs()
    yield
    purge_jobs()
