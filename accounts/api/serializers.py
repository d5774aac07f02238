"""Input and output shapes for the accounts API. Every writable serializer lists
its fields explicitly, so nothing else (role, verification, staff) can be set."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.choices import Availability, Industry, Product, Role, VerificationStatus
from accounts.models import (
    BANKER_PROFILE_FIELDS,
    OWNER_PROFILE_FIELDS,
    USER_PROFILE_FIELDS,
    BankerProfile,
    BusinessOwnerProfile,
    User,
)
from accounts.money import DECIMAL_PLACES, MAX_DIGITS
from accounts.time_zones import validate_time_zone
from b2bbank.decimal_input import PlainDecimalField
from b2bbank.strict_input import StrictInput
from notifications.selectors import email_preferences


def money(**kwargs: Any) -> serializers.DecimalField:
    return PlainDecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


class TimeZoneField(serializers.CharField):
    """An IANA time zone name; an unknown one is a 400 naming the field."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=64, validators=[validate_time_zone], **kwargs)


class OwnerProfileInput(StrictInput, serializers.ModelSerializer):
    """Fields come from OWNER_PROFILE_FIELDS (the model's, as the form's); the
    ones declared here only tighten what the model alone would accept."""

    company_name = serializers.CharField(max_length=200)
    industry = serializers.ChoiceField(choices=Industry.choices)
    years_in_business = serializers.IntegerField(min_value=0, max_value=300, required=False)
    annual_revenue = money(min_value=0, required=False, allow_null=True)
    employees = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, allow_null=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.RegexField(
        r"^[A-Z]{2}$", required=False, error_messages={"invalid": "Use a two-letter country code, e.g. US."}
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = BusinessOwnerProfile
        fields: tuple[str, ...] = OWNER_PROFILE_FIELDS


class BankerProfileInput(StrictInput, serializers.ModelSerializer):
    """Fields come from BANKER_PROFILE_FIELDS, as for OwnerProfileInput."""

    institution = serializers.CharField(max_length=200)
    job_title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.RegexField(
        r"^[A-Z]{2}$", required=False, error_messages={"invalid": "Use a two-letter country code, e.g. US."}
    )
    products = serializers.ListField(
        child=serializers.ChoiceField(choices=Product.choices), min_length=1, max_length=len(Product)
    )
    industries = serializers.ListField(
        child=serializers.ChoiceField(choices=Industry.choices), required=False, max_length=len(Industry)
    )
    min_loan_amount = money(min_value=1)
    max_loan_amount = money(min_value=1, required=False, allow_null=True)
    availability = serializers.ChoiceField(choices=Availability.choices, required=False)
    accepting_new_clients = serializers.BooleanField(required=False)

    class Meta:
        model = BankerProfile
        fields: tuple[str, ...] = BANKER_PROFILE_FIELDS

    def validate_products(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate_industries(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.context.get("profile")
        low = attrs.get("min_loan_amount", getattr(instance, "min_loan_amount", None))
        high = attrs.get("max_loan_amount", getattr(instance, "max_loan_amount", None))
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError(
                {"max_loan_amount": ["The maximum must be at least the minimum loan amount."]}
            )
        return attrs


class CredentialsMixin(StrictInput):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    accept_terms = serializers.BooleanField(
        help_text="Must be true: the user accepts the terms of use and the privacy notice "
        "(their versions and the time are recorded)."
    )

    time_zone = TimeZoneField(
        required=False,
        help_text="IANA name (e.g. America/Los_Angeles); every time is shown in it. Default UTC.",
    )

    USER_FIELDS = ("email", "password", "first_name", "last_name", "accept_terms")
    OPTIONAL_USER_FIELDS = ("time_zone",)

    def validate_accept_terms(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Accept the terms of use and the privacy notice.")
        return value

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(self.validated_data)
        user = {name: data.pop(name) for name in self.USER_FIELDS}
        user |= {name: data.pop(name) for name in self.OPTIONAL_USER_FIELDS if name in data}
        user["terms_accepted"] = user.pop("accept_terms")
        return user, data


class OwnerSignupInput(CredentialsMixin, OwnerProfileInput):
    class Meta(OwnerProfileInput.Meta):
        fields: tuple[str, ...] = (
            *CredentialsMixin.USER_FIELDS,
            *CredentialsMixin.OPTIONAL_USER_FIELDS,
            *OWNER_PROFILE_FIELDS,
        )


class BankerSignupInput(CredentialsMixin, BankerProfileInput):
    class Meta(BankerProfileInput.Meta):
        fields: tuple[str, ...] = (
            *CredentialsMixin.USER_FIELDS,
            *CredentialsMixin.OPTIONAL_USER_FIELDS,
            *BANKER_PROFILE_FIELDS,
        )


class SignupOutput(serializers.Serializer):
    """The same answer whether or not the address already had an account (an
    email tells the address's owner either way), so `id` is always null: it
    would say whether an account was created. `GET me/` gives it after sign-in."""

    id = serializers.IntegerField(allow_null=True)
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    detail = serializers.CharField()


class OwnerProfileOutput(serializers.ModelSerializer):
    class Meta:
        model = BusinessOwnerProfile
        fields = OWNER_PROFILE_FIELDS


class BankerProfileOutput(serializers.ModelSerializer):
    class Meta:
        model = BankerProfile
        fields = (*BANKER_PROFILE_FIELDS, "verification_status")


class MeOutput(serializers.ModelSerializer):
    profile = serializers.SerializerMethodField()
    email_notifications = serializers.SerializerMethodField(
        help_text="Email on (true) or off for each kind of notification this user can receive; "
        "in-app notifications are always on."
    )

    class Meta:
        model = User
        fields = (
            "id",
            "email",
            *USER_PROFILE_FIELDS,
            "role",
            "is_staff",
            "profile",
            "email_notifications",
        )

    def get_email_notifications(self, user: User) -> dict[str, bool]:
        return email_preferences(user=user)

    def get_profile(self, user: User) -> dict[str, Any] | None:
        if user.is_banker:
            return BankerProfileOutput(user.banker_profile).data
        if user.is_business_owner:
            return OwnerProfileOutput(user.owner_profile).data
        return None


class MeUpdateInput(StrictInput):
    """The user's own fields are USER_PROFILE_FIELDS (as the page's form)."""

    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    time_zone = TimeZoneField(required=False)
    profile = serializers.DictField(required=False)
    email_notifications = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        help_text="Kinds to turn email on (true) or off; kinds left out keep their setting.",
    )

    def validate_profile(self, value: dict[str, Any]) -> dict[str, Any]:
        user: User = self.context["request"].user
        if user.is_banker:
            nested: serializers.Serializer = BankerProfileInput(
                data=value, partial=True, context={"profile": user.banker_profile}
            )
        elif user.is_business_owner:
            nested = OwnerProfileInput(data=value, partial=True)
        else:
            raise serializers.ValidationError("This account has no profile.")
        nested.is_valid(raise_exception=True)
        return dict(nested.validated_data)


class VerifyInput(StrictInput):
    status = serializers.ChoiceField(
        choices=[VerificationStatus.VERIFIED, VerificationStatus.REJECTED],
        default=VerificationStatus.VERIFIED,
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Told to the banker (give one when rejecting).",
    )


class VerifyOutput(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id")

    class Meta:
        model = BankerProfile
        fields = ("id", "verification_status", "verified_at")
