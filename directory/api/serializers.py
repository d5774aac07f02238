"""Output shapes of the directory API.

A list item's keys and fields are declared once (`search_sql.ITEM_KEYS`). The
API's searches have PostgreSQL write the items as JSON
(`selectors.banker_search_page(as_json=True)`); a test keeps that byte for byte
in step with `banker_list_item` as DRF renders it. `BankerListItemOutput`
documents the same shape for the schema; a test keeps the two in step.

A page's results are rendered to JSON once, when the search runs, and cached in
that form (`SearchAnswer`): a repeated search then costs no conversion at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from accounts.choices import Availability, Industry, Product
from accounts.models import BANKER_PROFILE_FIELDS, BankerProfile
from directory.search_sql import ITEM_KEYS, MONEY_FIELDS
from directory.selectors import BankerPage


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def banker_list_item(row: dict[str, Any]) -> dict[str, Any]:
    """A row (LIST_FIELDS) as the API's list item (`search_sql.ITEM_KEYS`)."""
    return {key: _money(row[field]) if field in MONEY_FIELDS else row[field] for key, field in ITEM_KEYS}


@dataclass(frozen=True)
class SearchAnswer:
    """What the list API needs of a page of results, with the results as the
    JSON the API's renderer makes of them."""

    count: int
    count_capped: bool
    count_is_estimate: bool
    page: int
    has_next: bool
    has_previous: bool
    results_json: bytes


def _results_json(page: BankerPage) -> bytes:
    """The page's results as DRF's JSONRenderer writes them. PostgreSQL's JSON
    (`selectors.banker_search_page(as_json=True)`) is the same text but for
    U+2028 and U+2029, which the renderer escapes (JavaScript reads them as
    line ends) and PostgreSQL leaves as they are: replaced here as the
    renderer does."""
    if page.results_json is None:
        raise ValueError("search_answer needs the page's JSON: search with as_json=True")
    return page.results_json.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def search_answer(page: BankerPage) -> SearchAnswer:
    return SearchAnswer(
        count=page.count,
        count_capped=page.count_capped,
        count_is_estimate=page.count_is_estimate,
        page=page.page,
        has_next=page.has_next,
        has_previous=page.has_previous,
        results_json=_results_json(page),
    )


def search_answer_json(answer: SearchAnswer, *, next_url: str | None, previous_url: str | None) -> bytes:
    """The list response body, {count, count_capped, count_is_estimate, next, previous, results},
    as DRF's JSONRenderer would write it, around the already rendered results."""
    head = JSONRenderer().render(
        {
            "count": answer.count,
            "count_capped": answer.count_capped,
            "count_is_estimate": answer.count_is_estimate,
            "next": next_url,
            "previous": previous_url,
        }
    )
    return head[:-1] + b',"results":' + answer.results_json + b"}"


class BankerListItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    institution = serializers.CharField()
    job_title = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    products = serializers.ListField(child=serializers.ChoiceField(choices=Product.choices))
    industries = serializers.ListField(child=serializers.ChoiceField(choices=Industry.choices))
    min_loan_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    max_loan_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    availability = serializers.ChoiceField(choices=Availability.choices)
    accepting_new_clients = serializers.BooleanField()


class BankerPageOutput(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Matches, exact up to 500 (SEARCH_CAP), unless count_is_estimate."
    )
    count_capped = serializers.BooleanField(
        help_text="True when more than 500 bankers matched (count stops there)."
    )
    count_is_estimate = serializers.BooleanField(
        help_text=(
            "True when count and count_capped are PostgreSQL's estimate (two significant figures, "
            "at least the bankers up to this page and the next one's first) instead of a count. "
            "next and previous are exact either way."
        )
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BankerListItemOutput(many=True)


class BankerDetailOutput(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="display_name")

    class Meta:
        model = BankerProfile
        fields = ("id", "name", *BANKER_PROFILE_FIELDS, "verified_at")
