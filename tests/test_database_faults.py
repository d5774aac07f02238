"""PostgreSQL connections killed under the app: a generic 503, then recovery."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def terminate(pid: int) -> None:
    """Kill a backend from another connection, as a failover or an admin would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def get(client: Client, url: str) -> Any:
    """A request with the connection housekeeping Django's handlers do around
    every request in production (the test client switches it off)."""
    close_old_connections()
    try:
        return client.get(url)
    finally:
        close_old_connections()


@pytest.fixture(autouse=True)
def _close_connection_after() -> Iterator[None]:
    yield
    connection.close()


@contextmanager
def connection_killed_mid_request() -> Iterator[None]:
    killed = False

    def kill_first_query(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal killed
        if not killed:
            killed = True
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_first_query):
        yield


@pytest.mark.parametrize(("url", "is_api"), [("/api/v1/me/", True), ("/owner/", False)])
def test_killed_connection_gives_generic_503_then_recovers(owner_a: Any, url: str, is_api: bool) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(owner_a)
    assert get(client, url).status_code == 200
    with connection_killed_mid_request():
        response = get(client, url)
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Traceback" not in body
    assert "SELECT" not in body.upper().replace("SELECTED", "")
    assert "psycopg" not in body
    if is_api:
        assert response.json()["code"] == "unavailable"
    else:
        assert "briefly unavailable" in body
    assert get(client, url).status_code == 200  # next request: a new connection


@contextmanager
def persistent_connections() -> Iterator[None]:
    """Production's connection settings (the suite closes connections per test)."""
    settings_dict = connection.settings_dict
    saved = settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"]
    settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = 60, True
    try:
        yield
    finally:
        settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = saved
        connection.close()


def test_backend_is_the_health_checking_one() -> None:
    from b2bbank.postgres.base import DatabaseWrapper

    assert isinstance(connections["default"], DatabaseWrapper)


def test_idle_persistent_connection_killed_between_requests_is_replaced_silently(owner_a: Any) -> None:
    from b2bbank.postgres.base import HEALTH_CHECK_IDLE_SECONDS

    client = Client(raise_request_exception=False)
    client.force_login(owner_a)
    with persistent_connections():
        assert get(client, "/api/v1/me/").status_code == 200
        pid = connection.connection.info.backend_pid
        terminate(pid)
        connection.last_used -= HEALTH_CHECK_IDLE_SECONDS + 1  # as if idle since
        # The health check at the start of the next request notices and reconnects.
        assert get(client, "/api/v1/me/").status_code == 200
        assert connection.connection.info.backend_pid != pid


def test_busy_connection_is_not_pinged_and_a_kill_costs_one_request(
    owner_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection used moments ago skips the ping (one round trip less per
    request); if it was killed meanwhile, that request is the generic 503 and the
    next one has a new connection."""
    client = Client(raise_request_exception=False)
    client.force_login(owner_a)
    with persistent_connections():
        assert get(client, "/api/v1/me/").status_code == 200
        pid = connection.connection.info.backend_pid
        pings: list[bool] = []
        is_usable = type(connections["default"]).is_usable
        monkeypatch.setattr(
            type(connections["default"]), "is_usable", lambda self: pings.append(True) or is_usable(self)
        )
        assert get(client, "/api/v1/me/").status_code == 200
        assert pings == []
        assert connection.connection.info.backend_pid == pid
        terminate(pid)
        assert get(client, "/api/v1/me/").status_code == 503
        assert get(client, "/api/v1/me/").status_code == 200
        assert connection.connection.info.backend_pid != pid


def test_other_errors_are_a_generic_500(owner_a: Any, monkeypatch: Any) -> None:
    from accounts.api import views

    def explode(**kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "user_with_profile", explode)
    client = Client(raise_request_exception=False)
    client.force_login(owner_a)
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side. Please try again.",
        "code": "server_error",
    }


def test_api_not_found_is_json_and_pages_stay_html(client: Client) -> None:
    api = client.get("/api/v1/admin/bankers/null/verify/")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found.", "code": "not_found"}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "We couldn't find that page" in page.content.decode()
