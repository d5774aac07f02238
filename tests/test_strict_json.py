"""Every JSON a client sends goes through one strict reader: deep nesting is a
400 (not a RecursionError 500), a key given twice is a 400 (not last one
wins), on every API endpoint and on the socket."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from rest_framework.test import APIClient

from b2bbank.json_input import MAX_DEPTH, InvalidJson, strict_loads
from chat.tests.factories import ConversationFactory
from chat.tests.test_consumers import Sockets, socket_for, with_sockets
from loans.models import LoanApplication

pytestmark = pytest.mark.django_db

NESTED = "[" * 10_000 + "]" * 10_000
DUPLICATE_AMOUNT = (
    '{"product": "term_loan", "amount": "5000.00", "amount": "900000.00", '
    '"term_months": 12, "purpose": "Stock"}'
)
ANONYMOUS = ["/api/v1/auth/signup/business-owner/", "/api/v1/auth/signup/banker/", "/api/v1/auth/token/"]


def post_raw(client: APIClient, url: str, body: str, method: str = "post") -> Any:
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.mark.parametrize("url", ANONYMOUS)
def test_deeply_nested_body_is_400_for_anonymous_endpoints(url: str) -> None:
    response = post_raw(APIClient(), url, NESTED)
    assert response.status_code == 400
    assert "nest" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "method"),
    [("/api/v1/applications/", "post"), ("/api/v1/me/", "patch"), ("conversation", "post")],
)
def test_deeply_nested_body_is_400_for_signed_in_endpoints(
    api_as: Any, owner_a: Any, banker_x: Any, url: str, method: str
) -> None:
    if url == "conversation":
        url = f"/api/v1/conversations/{ConversationFactory(owner=owner_a, banker=banker_x).pk}/messages/"
    response = post_raw(api_as(owner_a), url, NESTED, method)
    assert response.status_code == 400
    assert "nest at most" in response.json()["detail"]


def test_duplicate_keys_are_refused_and_nothing_is_created(api_as: Any, owner_a: Any) -> None:
    response = post_raw(api_as(owner_a), "/api/v1/applications/", DUPLICATE_AMOUNT)
    assert response.status_code == 400
    assert "'amount' appears more than once" in response.json()["detail"]
    assert not LoanApplication.objects.exists()


def test_the_same_body_without_the_duplicate_is_accepted(api_as: Any, owner_a: Any) -> None:
    body = DUPLICATE_AMOUNT.replace('"amount": "5000.00", ', "")
    assert post_raw(api_as(owner_a), "/api/v1/applications/", body).status_code == 201


def test_duplicate_keys_in_a_nested_object_are_refused() -> None:
    with pytest.raises(InvalidJson, match="more than once"):
        strict_loads('{"profile": {"industry": "retail", "industry": "other"}}')


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_refused() -> None:
    assert strict_loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(InvalidJson, match="nest"):
        strict_loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_are_refused(constant: str) -> None:
    with pytest.raises(InvalidJson):
        strict_loads(f'{{"amount": {constant}}}')


@pytest.mark.django_db(transaction=True)
def test_socket_answers_an_error_frame_for_a_nested_frame_and_stays_open(owner_a: Any, banker_x: Any) -> None:
    conversation = ConversationFactory(owner=owner_a, banker=banker_x)
    frame = "[" * 5_000 + "]" * 5_000  # 10 KB, under the frame size limit

    async def scenario(sockets: Sockets) -> None:
        socket = await sockets.connect(await socket_for(owner_a))
        await socket.send_to(text_data=frame)
        error = await socket.receive_json_from()
        assert (error["type"], error["code"]) == ("error", "invalid_json")
        await socket.send_to(text_data='{"type": "typing", "conversation": 1, "conversation": 2}')
        assert (await socket.receive_json_from())["code"] == "invalid_json"
        await socket.send_json_to(
            {"type": "message.send", "conversation": conversation.pk, "body": "still here"}
        )
        assert (await socket.receive_json_from())["type"] == "message.new"

    async_to_sync(with_sockets)(scenario)


def test_every_api_view_that_reads_json_reads_it_strictly() -> None:
    """A view that lists its own parser_classes must not bring back DRF's plain
    JSONParser (duplicate keys accepted, deep nesting a 500)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework.parsers import JSONParser

    from b2bbank.json_input import StrictJSONParser

    def views(patterns: list[Any]) -> list[Any]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += views(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                found.append(pattern.callback.cls)
        return found

    api_views = views(get_resolver().url_patterns)
    assert len(api_views) > 20
    lax = [
        view.__name__
        for view in api_views
        for parser in view().get_parsers()
        if isinstance(parser, JSONParser) and not isinstance(parser, StrictJSONParser)
    ]
    assert lax == []
