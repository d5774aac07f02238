"""Page forms: they parse and validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms

from b2bbank.decimal_input import PlainDecimalFormField

from .choices import Industry, Product
from .models import (
    BANKER_PROFILE_FIELDS,
    OWNER_PROFILE_FIELDS,
    USER_PROFILE_FIELDS,
    BankerEvidence,
    BankerProfile,
    BusinessOwnerProfile,
    User,
    normalize_email,
)
from .time_zones import zone_choices, zone_or_default


class AccountForm(forms.Form):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    email = forms.EmailField(max_length=254, label="Work email")
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common or all-numeric password.",
        max_length=128,
    )
    password_confirm = forms.CharField(
        label="Confirm password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    # Filled by static/js/time_zone.js from the browser; an unknown or missing
    # zone becomes UTC (a sign-up is never refused over a hidden field).
    time_zone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    accept_terms = forms.BooleanField(
        label="I accept the terms of use and the privacy notice",
        error_messages={"required": "Accept the terms of use and the privacy notice to create an account."},
    )

    def clean_time_zone(self) -> str:
        return zone_or_default(self.cleaned_data.get("time_zone"))

    def clean_email(self) -> str:
        # Whether the address is taken is never said here (the service emails its owner).
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", "The two passwords do not match.")
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("email", "password", "first_name", "last_name", "time_zone")}
        return {**fields, "terms_accepted": data["accept_terms"]}


class OwnerProfileForm(forms.ModelForm):
    website = forms.URLField(max_length=200, required=False, assume_scheme="https")

    class Meta:
        model = BusinessOwnerProfile
        fields = OWNER_PROFILE_FIELDS
        labels = {"region": "State / region", "country": "Country code"}
        help_texts = {"annual_revenue": "In USD, optional.", "country": "Two letters, e.g. US."}
        field_classes = {"annual_revenue": PlainDecimalFormField}


class BankerProfileForm(forms.ModelForm):
    products = forms.MultipleChoiceField(
        choices=Product.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Loan products you offer",
    )
    industries = forms.MultipleChoiceField(
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Industries you serve",
    )

    class Meta:
        model = BankerProfile
        fields = BANKER_PROFILE_FIELDS
        labels = {
            "region": "State / region",
            "country": "Country code",
            "min_loan_amount": "Minimum loan amount (USD)",
            "max_loan_amount": "Maximum loan amount (USD)",
            "accepting_new_clients": "Accepting new clients",
        }
        help_texts = {"max_loan_amount": "Leave empty for no maximum."}
        field_classes = {"min_loan_amount": PlainDecimalFormField, "max_loan_amount": PlainDecimalFormField}
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_loan_amount"), data.get("max_loan_amount")
        if low is not None and high is not None and high < low:
            self.add_error("max_loan_amount", "The maximum must be at least the minimum.")
        return data


class NamesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=zone_choices,
        required=False,
        label="Time zone",
        help_text="Every time on b2bbank is shown in this zone.",
    )

    class Meta:
        model = User
        fields = USER_PROFILE_FIELDS

    def clean_time_zone(self) -> str:
        # A form sent without the box (an older page) keeps the zone as it is.
        return self.cleaned_data.get("time_zone") or self.instance.time_zone


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=128,
    )
    confirm = forms.BooleanField(label="I understand that I will no longer be able to sign in")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class BankerEvidenceForm(forms.ModelForm):
    class Meta:
        model = BankerEvidence
        fields = ("lender_id", "work_email", "note")
        help_texts = {
            "lender_id": "Your NMLS number, or your regulator's id for you.",
            "work_email": "The address your institution gave you (not a personal mailbox).",
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}


class RejectBankerForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the banker reads it)", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
