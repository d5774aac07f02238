"""Input and output shapes for the applications API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.choices import Product
from accounts.money import DECIMAL_PLACES, MAX_DIGITS
from b2bbank.decimal_input import PlainDecimalField
from b2bbank.strict_input import StrictInput
from loans.models import (
    CONDITIONS_MAX,
    MAX_AMOUNT,
    MAX_RATE,
    MAX_TERM_MONTHS,
    MIN_AMOUNT,
    MIN_TERM_MONTHS,
    NOTE_MAX,
    PURPOSE_MAX,
    ApplicationEvent,
    LoanApplication,
)
from loans.transitions import Action, open_actions


def money(**kwargs: Any) -> serializers.DecimalField:
    return PlainDecimalField(
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        min_value=MIN_AMOUNT,
        max_value=MAX_AMOUNT,
        **kwargs,
    )


def term(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=MIN_TERM_MONTHS, max_value=MAX_TERM_MONTHS, **kwargs)


def note(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=NOTE_MAX, **kwargs)


class ApplicationCreateInput(StrictInput):
    product = serializers.ChoiceField(choices=Product.choices)
    amount = money()
    term_months = term()
    purpose = serializers.CharField(max_length=PURPOSE_MAX)
    banker = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class ApplicationUpdateInput(ApplicationCreateInput):
    """PATCH: any subset of the create fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class NoteInput(StrictInput):
    note = note(required=False, allow_blank=True, default="")


class RequiredNoteInput(StrictInput):
    note = note()


class SubmitInput(NoteInput):
    banker = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class ApproveInput(NoteInput):
    approved_amount = money()
    interest_rate = PlainDecimalField(max_digits=5, decimal_places=3, min_value=0, max_value=MAX_RATE)
    term_months = term()
    conditions = serializers.CharField(
        max_length=CONDITIONS_MAX, required=False, allow_blank=True, default=""
    )


class DeclineInput(NoteInput):
    reason = note()


class OwnerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    company_name = serializers.CharField()


class BankerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    institution = serializers.CharField()


class EventOutput(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ("id", "actor", "actor_name", "from_status", "to_status", "note", "created_at")

    def get_actor_name(self, event: ApplicationEvent) -> str:
        return event.actor_name


class ApplicationOutput(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    banker = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = LoanApplication
        fields = (
            "id",
            "reference",
            "owner",
            "banker",
            "product",
            "amount",
            "term_months",
            "purpose",
            "status",
            "approved_amount",
            "interest_rate",
            "approved_term_months",
            "conditions",
            "decline_reason",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_at",
            "actions",
        )

    @extend_schema_field(OwnerRef)
    def get_owner(self, application: LoanApplication) -> dict[str, Any]:
        owner = application.owner
        return {
            "id": owner.pk,
            "name": owner.get_full_name(),
            "company_name": owner.owner_profile.company_name,
        }

    @extend_schema_field(BankerRef(allow_null=True))
    def get_banker(self, application: LoanApplication) -> dict[str, Any] | None:
        banker = application.banker
        if banker is None:
            return None
        return {
            "id": banker.pk,
            "name": banker.get_full_name(),
            "institution": banker.banker_profile.institution,
        }

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_actions(self, application: LoanApplication) -> list[str]:
        """The actions the requesting user may take now (each a POST endpoint)."""
        return [str(a) for a in open_actions(self.context["request"].user, application)]
