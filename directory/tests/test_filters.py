"""The search parameters' fast path reads exactly what the form reads: for any
query string it either gives the form's `params()` or leaves the query to the
form (which then answers, errors included)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from hypothesis import example, given, settings
from hypothesis import strategies as st

from directory import filters
from directory.filters import BankerSearchForm, SearchParams, parse_search_query


def by_form(query: str) -> SearchParams | None:
    form = BankerSearchForm(QueryDict(query))
    return form.params() if form.is_valid() else None


def assert_agree(query: str) -> SearchParams | None:
    fast = filters._fast_params(QueryDict(query))
    if fast is not None:
        form = by_form(query)
        assert form is not None, query  # the fast path never accepts what the form refuses
        # The same values, written the same way (the cache key is their repr).
        assert repr(fast) == repr(form), query
    return fast


# Values near each parameter's edges: valid, invalid and odd spellings.
NEAR = {
    "q": [
        "",
        "sba",
        "  sba   loans ",
        "x" * 200,
        " " + "x" * 200 + " ",
        "x" * 201,
        "a\x00b",
        "\u3000equipment\u3000",
        '"fast closings" -harbor',
    ],
    "product": ["", "sba_loan", "SBA_LOAN", "nope", " sba_loan"],
    "amount": [
        "",
        "1",
        "0",
        "0.00",
        "0.01",
        "0.001",
        "250000",
        "250000.00",
        "250000.5",
        "007",
        "1e5",
        "1_000",
        " 5",
        "-5",
        "999999999999.99",
        "1000000000000",
        "١٢٣",
        "12.",
        ".5",
    ],
    "industry": ["", "healthcare", "Healthcare"],
    "region": ["", "CA", " ca ", "x" * 100, "x" * 101, "a\x00"],
    "availability": ["", "available", "gone"],
    "accepting": ["", "true", "false", "True", "1"],
    "ordering": ["", "relevance", "min_amount", "-min_amount", "newest", "random"],
    "page": ["", "1", "2", "0", "-1", "10000", "10001", "01", "2.0", " 3", "x"],
    "page_size": ["", "1", "50", "51", "0", "20"],
}


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in NEAR.items() for value in values]
)
def test_each_value_alone_reads_as_the_form_reads_it(name: str, value: str) -> None:
    assert_agree(urlencode({name: value}))
    assert_agree(urlencode({name: value, "q": "loans"}))


queries = st.lists(
    st.tuples(
        st.sampled_from([*NEAR, "unknown"]),
        st.one_of(
            st.sampled_from([value for values in NEAR.values() for value in values]), st.text(max_size=12)
        ),
    ),
    max_size=6,
)


@settings(max_examples=400, deadline=None)
@given(queries)
# Found by a generated run: str.split() reads U+0085 as a space, the form keeps it.
@example([("region", "0\x850")])
@example([("q", "sba \u2028loans")])
def test_generated_queries_read_as_the_form_reads_them(pairs: list[tuple[str, str]]) -> None:
    """Repeated names, unknown names, any text: the fast path agrees or steps aside."""
    assert_agree(urlencode(pairs))


@pytest.mark.parametrize(
    "query",
    [
        {"product": "sba_loan", "region": "TX", "amount": "123456.78"},
        {"q": "working capital", "amount": "50000", "page": "3", "page_size": "10"},
        {"q": "harbor", "product": "term_loan", "accepting": "true", "ordering": "newest"},
        {},
    ],
)
def test_plain_searches_take_the_fast_path(query: dict[str, str]) -> None:
    assert assert_agree(urlencode(query)) is not None


@pytest.mark.parametrize(
    ("query", "field"),
    [({"amount": "1e5"}, "amount"), ({"ordering": "relevance"}, "ordering"), ({"page": "2", "x": "1"}, "x")],
)
def test_the_form_answers_what_the_fast_path_leaves(
    query: dict[str, str], field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse_search_query.cache_clear()
    built: list[Any] = []
    original_init = BankerSearchForm.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(BankerSearchForm, "__init__", counting_init)
    answer = parse_search_query(urlencode(query))
    assert isinstance(answer, dict)
    assert field in answer
    assert len(built) == 1
    built.clear()
    assert isinstance(parse_search_query(urlencode({"amount": "98765.43"})), SearchParams)
    assert built == []  # a plain new search builds no form
