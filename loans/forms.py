"""Page forms for applications and each action; the services write. Every
action form takes the application and the viewer, so it can offer the right
choices and prefill from the request."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from accounts.choices import Product
from b2bbank.decimal_input import PlainDecimalFormField
from b2bbank.display import format_money

from .eligibility import MAX_BANKERS, matching_bankers
from .models import (
    CONDITIONS_MAX,
    MAX_AMOUNT,
    MAX_RATE,
    MAX_TERM_MONTHS,
    MIN_AMOUNT,
    MIN_TERM_MONTHS,
    NOTE_MAX,
    PURPOSE_MAX,
    LoanApplication,
    TrackStatus,
)
from .selectors import bankers_for_form, tracks_for_viewer


class BankerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name()} · {obj.institution}"


class ApplicationForm(forms.Form):
    banker = BankerChoiceField(
        queryset=bankers_for_form(),
        required=False,
        empty_label="Choose later",
        label="Banker",
        help_text="Optional: you choose up to five matching bankers before you submit.",
    )
    product = forms.ChoiceField(choices=Product.choices, label="Loan product")
    amount = PlainDecimalFormField(
        max_digits=14,
        decimal_places=2,
        min_value=MIN_AMOUNT,
        max_value=MAX_AMOUNT,
        label="Amount (USD)",
        help_text=f"Between {format_money(MIN_AMOUNT, places=0)} and {format_money(MAX_AMOUNT, places=0)}.",
    )
    term_months = forms.IntegerField(
        min_value=MIN_TERM_MONTHS,
        max_value=MAX_TERM_MONTHS,
        label="Term (months)",
        help_text="1 to 360 months.",
    )
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=PURPOSE_MAX, label="What is the loan for?"
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


class ActionForm(forms.Form):
    """Base of every action's page form: knows the application and viewer."""

    def __init__(self, *args: Any, application: LoanApplication, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.viewer = viewer

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments."""
        return dict(self.cleaned_data)


class NoteForm(ActionForm):
    note = note_field(required=False, label="Note (optional)")


class RequiredNoteForm(ActionForm):
    note = note_field(required=True, label="Message")


class SubmitForm(ActionForm):
    """Tick up to five of the bankers who fit this application."""

    bankers = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Send to these bankers",
        help_text=f"Up to {MAX_BANKERS}. Only bankers who fit your request are listed, best fit first.",
    )
    note = note_field(required=False, label="Note (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matches = matching_bankers(self.application)
        field = self.fields["bankers"]
        field.choices = [  # type: ignore[attr-defined]
            (
                m.profile.user_id,
                f"{m.profile.user.get_full_name()} · {m.profile.institution} — {' · '.join(m.reasons)}",
            )
            for m in self.matches
        ]
        if self.application.banker_id and not self.is_bound:
            self.initial["bankers"] = [self.application.banker_id]

    def clean_bankers(self) -> list[int]:
        chosen: list[int] = self.cleaned_data["bankers"]
        if len(chosen) > MAX_BANKERS:
            raise forms.ValidationError(f"Choose at most {MAX_BANKERS} bankers.")
        return chosen

    def service_data(self) -> dict[str, Any]:
        return {"banker_ids": self.cleaned_data["bankers"], "note": self.cleaned_data["note"]}


class RespondForm(ActionForm):
    """The owner's answer; which banker when several asked."""

    banker = forms.TypedChoiceField(coerce=int, required=False, label="Answer which banker")
    note = note_field(required=True, label="Message")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        asking = [
            t
            for t in tracks_for_viewer(self.viewer, self.application)
            if t.effective_status == TrackStatus.INFO_REQUESTED
        ]
        if len(asking) > 1:
            self.fields["banker"].choices = [(t.banker_id, t.banker.get_full_name()) for t in asking]  # type: ignore[attr-defined]
            self.fields["banker"].required = True
        else:
            del self.fields["banker"]

    def service_data(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"], "banker_id": self.cleaned_data.get("banker")}


class ApproveForm(ActionForm):
    """An offer, prefilled with the request's amount and term."""

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
    origination_fee = PlainDecimalFormField(
        max_digits=14, decimal_places=2, min_value=0, required=False, label="Origination fee (USD)"
    )
    expires_in_days = forms.IntegerField(min_value=1, required=False, label="Offer open for (days)")
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=CONDITIONS_MAX,
        required=False,
        label="Conditions",
    )
    note = note_field(required=False, label="Note to the applicant (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["expires_in_days"]
        days.max_value = settings.B2BBANK_OFFER_MAX_EXPIRY_DAYS  # type: ignore[attr-defined]
        days.help_text = f"At most {settings.B2BBANK_OFFER_MAX_EXPIRY_DAYS}."
        self.fields[
            "approved_amount"
        ].help_text = f"At most the {format_money(self.application.amount)} requested."
        if not self.is_bound:
            self.initial.update(
                approved_amount=self.application.amount,
                term_months=self.application.term_months,
                origination_fee="0.00",
                expires_in_days=settings.B2BBANK_OFFER_EXPIRY_DAYS,
            )

    def service_data(self) -> dict[str, Any]:
        from datetime import timedelta

        from django.utils import timezone

        data = dict(self.cleaned_data)
        days = data.pop("expires_in_days") or settings.B2BBANK_OFFER_EXPIRY_DAYS
        data["expires_at"] = timezone.now() + timedelta(days=days)
        data["origination_fee"] = data["origination_fee"] or Decimal("0.00")
        return data


class DeclineForm(ActionForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX, label="Reason for declining"
    )


class OfferDeclineForm(ActionForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
        required=False,
        label="Reason (optional)",
    )
