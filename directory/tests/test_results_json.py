"""The API's results as PostgreSQL writes them (`selectors.banker_search_page(as_json=True)`) are,
byte for byte, what DRF's JSONRenderer makes of the same rows
(`serializers.banker_list_item`): over hostile strings in every text column,
odd arrays, money at its edges and NULLs, for each form of the page statement,
and for any string PostgreSQL can hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from accounts.tests.factories import BankerFactory, OwnerFactory
from conftest import client_for
from directory.api.serializers import banker_list_item, search_answer
from directory.filters import SearchParams
from directory.models import Listing
from directory.selectors import banker_search_page

pytestmark = pytest.mark.django_db

# Everything JSON or a browser treats specially: every control character, the
# characters JSON escapes, HTML's, line and paragraph separators (escaped by
# DRF, not by PostgreSQL), other non-ASCII, a character outside the BMP.
HOSTILE = [
    "".join(chr(code) for code in range(1, 32)) + "\x7f",
    '"quoted" \\back\\slash\\ /slash/',
    "<script>alert('x')</script> & &amp; </",
    "line\u2028sep\u2029para\u0085next\u00a0nbsp\ufeffbom",
    "Crème brûlée — 日本語 — עברית — 😀",
    "",
    " ",
]
PRODUCTS = [[], ['"', "\\", "\u2028"], ["term_loan", "sba_loan"]]
MONEY = [
    (Decimal("0.01"), None),
    (Decimal("1.50"), Decimal("999999999999.99")),
    (Decimal("250000.00"), Decimal("250000.10")),
]


def _hostile_listings() -> None:
    """Listing rows holding HOSTILE in every text column, written directly:
    the test is about what any row renders as, not how it got there."""
    bankers: list[Any] = [BankerFactory(profile__bio="Orchard loans.") for _ in range(len(HOSTILE))]
    with connection.cursor() as cursor:
        for n, banker in enumerate(bankers):
            text = [HOSTILE[(n + shift) % len(HOSTILE)] for shift in range(5)]
            low, high = MONEY[n % len(MONEY)]
            cursor.execute(
                f"UPDATE {Listing._meta.db_table} SET display_name = %s, institution = %s, "  # noqa: S608
                "job_title = %s, city = %s, region = %s, products = %s, industries = %s, "
                "min_loan_amount = %s, max_loan_amount = %s, availability = %s, "
                "accepting_new_clients = %s WHERE banker_id = %s",
                [
                    *text,
                    PRODUCTS[n % len(PRODUCTS)],
                    PRODUCTS[(n + 1) % len(PRODUCTS)],
                    low,
                    high,
                    HOSTILE[(n + 5) % len(HOSTILE)][:16],
                    n % 2 == 0,
                    banker.pk,
                ],
            )


def _as_drf_renders(params: SearchParams) -> bytes:
    page = banker_search_page(params=params, use_estimates=True)
    assert page.results_json is None
    return JSONRenderer().render([banker_list_item(row) for row in page.rows])


def _from_postgresql(params: SearchParams) -> bytes:
    page = banker_search_page(params=params, use_estimates=True, as_json=True)
    assert page.rows == []
    return search_answer(page).results_json


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        (SearchParams(), 7),  # newest
        (SearchParams(q="orchard"), 7),  # relevance: the tiers' statement
        (SearchParams(ordering="-min_amount", page_size=3), 3),  # the next page's first row: read, not shown
        (SearchParams(ordering="min_amount", page=2, page_size=3), 3),
        (SearchParams(q="nothingmatchesthis"), 0),
    ],
)
def test_postgresql_writes_the_results_drf_renders(params: SearchParams, shown: int) -> None:
    _hostile_listings()
    expected = _as_drf_renders(params)
    assert _from_postgresql(params) == expected
    assert expected.count(b'"id":') == shown


def test_the_api_answers_the_results_drf_renders() -> None:
    _hostile_listings()
    response = client_for(OwnerFactory()).get(reverse("api:banker-list"), {"page_size": 3})
    assert response.status_code == 200
    expected = _as_drf_renders(SearchParams(page_size=3))
    assert response.content.endswith(b',"results":' + expected + b"}")
    assert b"\\u2028" in response.content
    assert "\u2028".encode() not in response.content


# Any string PostgreSQL's text can hold: no NUL, no surrogate.
_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))


@settings(max_examples=300, deadline=None)
@given(value=_TEXT, values=st.lists(st.one_of(st.none(), _TEXT), max_size=4))
@example(value="\u2028\u2029\x1f\x7f\"\\/<>&'\U0001f600", values=[None, ""])
def test_postgresql_escapes_any_string_as_drf_does(value: str, values: list[str | None]) -> None:
    """What the item's JSON rests on: `row_to_json` of a text and a text array
    is Python's json text (ensure_ascii off, compact), U+2028/U+2029 aside."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT row_to_json(item)::text FROM (SELECT %s::text AS "v", %s::varchar[] AS "a") AS item',
            [value, values],
        )
        (written,) = cursor.fetchone()
    expected = JSONRenderer().render({"v": value, "a": values})
    assert written.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode() == expected
