"""The directory's search parameters: one validator for the page and the API.

A `QueryDict` goes in; either clean `SearchParams` come out, or field errors
naming each bad parameter (unknown names and repeated values included), which
the API answers as 400 and the page shows on its form."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.http import QueryDict

from accounts.choices import Availability, Industry, Product
from accounts.money import DECIMAL_PLACES, MAX_AMOUNT, MAX_DIGITS
from b2bbank.decimal_input import PlainDecimalFormField

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_PAGE = 10_000


class Ordering:
    RELEVANCE = "relevance"
    MIN_AMOUNT = "min_amount"
    MIN_AMOUNT_DESC = "-min_amount"
    NEWEST = "newest"

    CHOICES = (
        (RELEVANCE, "Best match"),
        (MIN_AMOUNT, "Lowest minimum loan first"),
        (MIN_AMOUNT_DESC, "Highest minimum loan first"),
        (NEWEST, "Newest bankers first"),
    )


ACCEPTING_CHOICES = (("", "Any"), ("true", "Accepting new clients"), ("false", "Not accepting"))


@dataclass(frozen=True)
class SearchParams:
    """Validated search input; `None`/empty means "no filter"."""

    q: str = ""
    product: str = ""
    amount: Decimal | None = None
    industry: str = ""
    region: str = ""
    availability: str = ""
    accepting: bool | None = None
    ordering: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def effective_ordering(self) -> str:
        """Relevance when there is text to rank by, newest otherwise."""
        if self.ordering:
            return self.ordering
        return Ordering.RELEVANCE if self.q else Ordering.NEWEST


def _with_any(choices: Any, label: str = "Any") -> list[tuple[str, str]]:
    return [("", label), *choices]


class BankerSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Name, bank, city, specialty…", "autocomplete": "off"}
        ),
    )
    product = forms.ChoiceField(required=False, choices=_with_any(Product.choices), label="Loan product")
    amount = PlainDecimalFormField(
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        label="Loan amount (USD)",
        # Text, not number: a number input blanks what the user typed when it is invalid.
        widget=forms.TextInput(attrs={"placeholder": "e.g. 250000", "inputmode": "decimal"}),
    )
    industry = forms.ChoiceField(required=False, choices=_with_any(Industry.choices), label="Industry")
    region = forms.CharField(
        required=False,
        max_length=100,
        label="State / region",
        widget=forms.TextInput(attrs={"placeholder": "e.g. CA"}),
    )
    availability = forms.ChoiceField(
        required=False, choices=_with_any(Availability.choices), label="Availability"
    )
    accepting = forms.TypedChoiceField(
        required=False,
        choices=ACCEPTING_CHOICES,
        coerce=lambda value: value == "true",
        empty_value=None,
        label="New clients",
    )
    ordering = forms.ChoiceField(
        required=False, choices=_with_any(Ordering.CHOICES, "Best match, or newest"), label="Sort by"
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)
    page_size = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, widget=forms.HiddenInput
    )

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        self._unknown: list[str] = []
        self._repeated: list[str] = []
        if data is not None:
            self._unknown = sorted(set(data) - set(self.base_fields))
            self._repeated = sorted(name for name in data if len(data.getlist(name)) > 1)
        super().__init__(data, **kwargs)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_region(self) -> str:
        return self.cleaned_data["region"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self._unknown:
            # Not a field, so add_error() would refuse it; the error still names the parameter.
            self.errors[name] = self.error_class(["Unknown parameter."])
        for name in self._repeated:
            if name in self.fields:
                self.add_error(name, "Give this parameter only once.")
        if data.get("ordering") == Ordering.RELEVANCE and not data.get("q"):
            self.add_error("ordering", "Sorting by best match needs search text (q).")
        return data

    def unknown_parameter_errors(self) -> dict[str, list[str]]:
        """Errors for names that are not fields, for a page to show above its form."""
        return {
            name: [str(error) for error in errors]
            for name, errors in self.errors.items()
            if name not in self.fields
        }

    def error_messages(self) -> dict[str, list[str]]:
        """Every error by parameter name, for the API's 400 answer."""
        return {name: [str(error) for error in errors] for name, errors in self.errors.items()}

    def params(self) -> SearchParams:
        """The validated parameters; call after `is_valid()` returned True."""
        data = self.cleaned_data
        return SearchParams(
            q=data["q"],
            product=data["product"],
            amount=data["amount"],
            industry=data["industry"],
            region=data["region"],
            availability=data["availability"],
            accepting=data["accepting"],
            ordering=data["ordering"],
            page=data["page"] or 1,
            page_size=data["page_size"] or DEFAULT_PAGE_SIZE,
        )


# The fast path's forms of each parameter: a strict subset of what the form
# accepts, read to the same value. Anything else goes to the form.
_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,2})?", re.ASCII)
_NUMBER = re.compile(r"[1-9][0-9]{0,4}", re.ASCII)
_REJECT = object()


def _choice(name: str) -> Callable[[str], Any]:
    allowed = frozenset(str(value) for value, _ in BankerSearchForm.base_fields[name].choices)  # type: ignore[attr-defined]
    return lambda value: value if value in allowed else _REJECT


def _text(name: str) -> Callable[[str], Any]:
    field = BankerSearchForm.base_fields[name]

    def read(value: str) -> Any:
        value = value.strip()
        # Only text already in its plain form (single ASCII spaces between
        # words): any other whitespace, e.g. U+0085 which str.split() treats as a
        # space and the form keeps, is the form's to read.
        too_long = len(value) > field.max_length  # type: ignore[attr-defined]
        if "\x00" in value or too_long or value != " ".join(value.split()):
            return _REJECT
        return value

    return read


def _amount(value: str) -> Any:
    if value == "":
        return None
    if not _AMOUNT.fullmatch(value) or Decimal(value) < Decimal("0.01"):
        return _REJECT
    return Decimal(value)


def _number(name: str) -> Callable[[str], Any]:
    highest = BankerSearchForm.base_fields[name].max_value  # type: ignore[attr-defined]
    return lambda value: (
        None if value == "" else int(value) if _NUMBER.fullmatch(value) and int(value) <= highest else _REJECT
    )


_ACCEPTING = {"": None, "true": True, "false": False}
_FAST: dict[str, Callable[[str], Any]] = {
    "q": _text("q"),
    "product": _choice("product"),
    "amount": _amount,
    "industry": _choice("industry"),
    "region": _text("region"),
    "availability": _choice("availability"),
    "accepting": lambda value: _ACCEPTING.get(value, _REJECT),
    "ordering": _choice("ordering"),
    "page": _number("page"),
    "page_size": _number("page_size"),
}
if set(_FAST) != set(BankerSearchForm.base_fields):
    raise ImportError("every search field needs its fast reading in directory.filters._FAST")


def _fast_params(data: QueryDict) -> SearchParams | None:
    """The form's `params()` for the plain, valid queries searches send, or
    None for the form to answer (anything unusual, every error included).
    `tests/test_filters.py` checks the two agree on generated queries."""
    values: dict[str, Any] = {}
    for name, given in data.lists():
        read = _FAST.get(name)
        if read is None or len(given) != 1:
            return None
        value = read(given[0])
        if value is _REJECT:
            return None
        values[name] = value
    if values.get("ordering") == Ordering.RELEVANCE and not values.get("q"):
        return None
    values["page"] = values.get("page") or 1
    values["page_size"] = values.get("page_size") or DEFAULT_PAGE_SIZE
    return SearchParams(**{name: value for name, value in values.items() if value is not None})


@lru_cache(maxsize=1024)
def parse_search_query(query_string: str) -> SearchParams | dict[str, list[str]]:
    """`SearchParams` for a raw query string, or the errors by parameter name.

    Validation is a pure function of the query string, so its answer is
    memoized per process: a Django form costs half a millisecond to build (it
    copies every field), a repeated search costs a dictionary lookup. The LRU
    bound keeps arbitrary query strings from growing it. A search no one made
    before (a new amount) is read by `_fast_params`, 20 times cheaper, when it
    is plain; the form answers everything else."""
    data = QueryDict(query_string)
    fast = _fast_params(data)
    if fast is not None:
        return fast
    form = BankerSearchForm(data)
    if not form.is_valid():
        return form.error_messages()
    return form.params()
