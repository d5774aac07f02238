"""Labels for the raw choice values search rows carry (rows are not model instances)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from accounts.choices import Availability, Industry, Product

register = template.Library()

_PRODUCTS = dict(Product.choices)
_INDUSTRIES = dict(Industry.choices)
_AVAILABILITY = dict(Availability.choices)


@register.filter
def product_labels(values: Iterable[str]) -> list[str]:
    return [_PRODUCTS.get(value, value) for value in values]


@register.filter
def industry_labels(values: Iterable[str]) -> list[str]:
    return [_INDUSTRIES.get(value, value) for value in values]


@register.filter
def availability_label(value: str) -> str:
    return _AVAILABILITY.get(value, value)
