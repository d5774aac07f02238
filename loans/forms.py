"""Page forms for applications and each action; the services write."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.choices import Product
from b2bbank.decimal_input import PlainDecimalFormField

from .models import (
    CONDITIONS_MAX,
    MAX_AMOUNT,
    MAX_RATE,
    MAX_TERM_MONTHS,
    MIN_AMOUNT,
    MIN_TERM_MONTHS,
    NOTE_MAX,
    PURPOSE_MAX,
)
from .selectors import bankers_for_form


class BankerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name()} · {obj.institution}"


class ApplicationForm(forms.Form):
    banker = BankerChoiceField(
        queryset=bankers_for_form(),
        required=False,
        empty_label="Choose later",
        label="Banker",
        help_text="Only verified bankers are listed. You can choose later, before you submit.",
    )
    product = forms.ChoiceField(choices=Product.choices, label="Loan product")
    amount = PlainDecimalFormField(
        max_digits=14,
        decimal_places=2,
        min_value=MIN_AMOUNT,
        max_value=MAX_AMOUNT,
        label="Amount (USD)",
        help_text=f"Between {MIN_AMOUNT:,.0f} and {MAX_AMOUNT:,.0f}.",
    )
    term_months = forms.IntegerField(
        min_value=MIN_TERM_MONTHS,
        max_value=MAX_TERM_MONTHS,
        label="Term (months)",
        help_text="1 to 360 months.",
    )
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=PURPOSE_MAX,
        label="What is the loan for?",
    )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        banker = data.get("banker")
        return {
            "product": data["product"],
            "amount": data["amount"],
            "term_months": data["term_months"],
            "purpose": data["purpose"],
            "banker_id": banker.pk if banker else None,
        }


def note_field(*, required: bool, label: str) -> forms.CharField:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX, required=required, label=label
    )


class NoteForm(forms.Form):
    note = note_field(required=False, label="Note (optional)")


class RequiredNoteForm(forms.Form):
    note = note_field(required=True, label="Message")


class SubmitForm(NoteForm):
    banker = BankerChoiceField(
        queryset=bankers_for_form(), label="Send to banker", empty_label="Choose a banker"
    )
    field_order = ("banker", "note")


class ApproveForm(forms.Form):
    approved_amount = PlainDecimalFormField(
        max_digits=14,
        decimal_places=2,
        min_value=MIN_AMOUNT,
        max_value=MAX_AMOUNT,
        label="Approved amount (USD)",
    )
    interest_rate = PlainDecimalFormField(
        max_digits=5, decimal_places=3, min_value=0, max_value=MAX_RATE, label="Interest rate (% per year)"
    )
    term_months = forms.IntegerField(
        min_value=MIN_TERM_MONTHS, max_value=MAX_TERM_MONTHS, label="Term (months)"
    )
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=CONDITIONS_MAX,
        required=False,
        label="Conditions",
    )
    note = note_field(required=False, label="Note to the applicant (optional)")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX, label="Reason for declining"
    )
