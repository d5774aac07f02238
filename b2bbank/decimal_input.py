"""Decimal numbers as people and clients must write them: ASCII digits with an
optional sign and decimal point, nothing else.

Python's Decimal (and so Django's and DRF's DecimalFields) also reads "1_000",
"1e5", " 5000.00" and full-width digits; for money that is a number nobody
meant. Every money and rate field, API and page alike, uses these fields, so the
rule and its message are declared once."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from rest_framework import serializers

PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)
MESSAGE = "Enter a plain number with digits and an optional decimal point, e.g. 250000.00 (no spaces, commas, exponents or underscores)."
FLOAT_MESSAGE = 'Send amounts as a string such as "250000.00", not as a JSON number with a fraction.'


def is_plain_decimal(text: str) -> bool:
    return PLAIN_DECIMAL.fullmatch(text) is not None


class PlainDecimalFormField(forms.DecimalField):
    """A page form's DecimalField that accepts plain decimal text only."""

    default_error_messages = {"invalid": MESSAGE}
    # A text box, not <input type=number>: a browser sends an empty value for
    # "abc" typed in a number box, so the page answered "This field is required."
    # instead of saying what is wrong. inputmode still brings up the number pad.
    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value not in self.empty_values and not is_plain_decimal(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PlainDecimalField(serializers.DecimalField):
    """The API's DecimalField: a plain decimal string, or a whole JSON number.
    A JSON number with a fraction is refused (it arrives as a binary float, which
    cannot hold most cents exactly); so are NaN and the other spellings above."""

    default_error_messages = {"invalid": MESSAGE, "float": FLOAT_MESSAGE}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, float):
            self.fail("float")
        if isinstance(data, str) and not is_plain_decimal(data):
            self.fail("invalid")
        return super().to_internal_value(data)
