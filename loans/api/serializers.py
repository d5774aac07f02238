"""Input and output shapes for the applications API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.choices import Product
from accounts.money import DECIMAL_PLACES, MAX_DIGITS
from b2bbank.decimal_input import PlainDecimalField
from b2bbank.strict_input import StrictInput
from loans import selectors
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
    ApplicationTrack,
    LoanApplication,
    Offer,
    OfferStatus,
    Status,
    TrackStatus,
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


class ActionInput(StrictInput):
    """Base of every action's API input (loans.actions.REGISTRY names them)."""

    def service_data(self) -> dict[str, Any]:
        """The validated input as the service's keyword arguments."""
        return dict(self.validated_data)


class NoteInput(ActionInput):
    note = note(required=False, allow_blank=True, default="")


class RequiredNoteInput(ActionInput):
    note = note()


class SubmitInput(NoteInput):
    """`banker` for one, `bankers` for one to five (each checked by the service,
    whose refusal names every banker and rule)."""

    banker = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    bankers = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, min_length=1, max_length=50
    )

    def service_data(self) -> dict[str, Any]:
        data = self.validated_data
        return {"note": data["note"], "banker_id": data.get("banker"), "banker_ids": data.get("bankers")}


class RespondInput(RequiredNoteInput):
    banker = serializers.IntegerField(
        min_value=1, required=False, help_text="Which banker, when several asked."
    )

    def service_data(self) -> dict[str, Any]:
        return {"note": self.validated_data["note"], "banker_id": self.validated_data.get("banker")}


class ApproveInput(NoteInput):
    approved_amount = money()
    interest_rate = PlainDecimalField(max_digits=5, decimal_places=3, min_value=0, max_value=MAX_RATE)
    term_months = term()
    origination_fee = PlainDecimalField(
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        min_value=0,
        required=False,
        default=Decimal("0.00"),
    )
    conditions = serializers.CharField(
        max_length=CONDITIONS_MAX, required=False, allow_blank=True, default=""
    )
    expires_at = serializers.DateTimeField(required=False, help_text="Default 14 days from now; at most 60.")


class DeclineInput(NoteInput):
    reason = note()


class OfferDeclineInput(ActionInput):
    reason = note(required=False, allow_blank=True, default="")


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


class OfferOutput(serializers.ModelSerializer):
    """An offer as its viewer sees it: `status` with expiry applied now."""

    status = serializers.ChoiceField(choices=OfferStatus.choices, source="effective_status")
    banker = serializers.SerializerMethodField()
    total_cost = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Offer
        fields = (
            "id",
            "banker",
            "status",
            "approved_amount",
            "interest_rate",
            "term_months",
            "origination_fee",
            "conditions",
            "monthly_payment",
            "apr",
            "total_cost",
            "expires_at",
            "created_at",
            "decided_at",
            "decline_reason",
        )

    @extend_schema_field(BankerRef)
    def get_banker(self, offer: Offer) -> dict[str, Any]:
        return banker_ref(offer.track.banker)


class TrackOutput(serializers.Serializer):
    banker = BankerRef()
    status = serializers.ChoiceField(choices=TrackStatus.choices)
    offer = OfferOutput(allow_null=True)


def banker_ref(banker: Any) -> dict[str, Any]:
    return {"id": banker.pk, "name": banker.get_full_name(), "institution": banker.banker_profile.institution}


@dataclass(frozen=True)
class ViewerFacts:
    tracks: list[ApplicationTrack]
    primary: ApplicationTrack | None
    status: Status
    actions: list[Action]


def _primary_track(tracks: list[ApplicationTrack]) -> ApplicationTrack | None:
    """The track whose decision the one-banker fields show: a banker's own;
    for the owner the accepted one, else the only one."""
    accepted = [t for t in tracks if t.status == TrackStatus.ACCEPTED]
    if accepted:
        return accepted[0]
    return tracks[0] if len(tracks) == 1 else None


class ApplicationOutput(serializers.ModelSerializer):
    """An application as the viewer may see it. `status`, `banker` and the
    decision fields read as they did with one banker; `tracks` lists the
    bankers' tracks the viewer may see (a banker: only their own)."""

    owner = serializers.SerializerMethodField()
    banker = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    approved_amount = serializers.SerializerMethodField()
    interest_rate = serializers.SerializerMethodField()
    approved_term_months = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()
    decline_reason = serializers.SerializerMethodField()
    tracks = serializers.SerializerMethodField()
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
            "tracks",
            "actions",
        )

    def _viewer(self) -> Any:
        return self.context["request"].user

    def _facts(self, application: LoanApplication) -> ViewerFacts:
        """What the viewer sees of this application, worked out once per row
        (several fields read it)."""
        facts = getattr(application, "_viewer_facts", None)
        if facts is None:
            user = self._viewer()
            tracks = selectors.tracks_for_viewer(user, application)
            status = selectors.viewer_status(user, application)
            facts = ViewerFacts(tracks, _primary_track(tracks), status, open_actions(user, status, tracks))
            application._viewer_facts = facts  # type: ignore[attr-defined]
        return facts

    def _offer(self, application: LoanApplication) -> Offer | None:
        track = self._facts(application).primary
        return track.current_offer if track is not None else None

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
        """A banker sees themselves; the owner the one banker it was sent to
        (or chosen for the draft), else the accepted one."""
        facts = self._facts(application)
        if facts.primary is not None:
            return banker_ref(facts.primary.banker)
        if application.banker is not None and not facts.tracks:
            return banker_ref(application.banker)
        return None

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices))
    def get_status(self, application: LoanApplication) -> str:
        return str(self._facts(application).status)

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True))
    def get_approved_amount(self, application: LoanApplication) -> str | None:
        offer = self._offer(application)
        return None if offer is None else f"{offer.approved_amount:.2f}"

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=3, allow_null=True))
    def get_interest_rate(self, application: LoanApplication) -> str | None:
        offer = self._offer(application)
        return None if offer is None else f"{offer.interest_rate:.3f}"

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_approved_term_months(self, application: LoanApplication) -> int | None:
        offer = self._offer(application)
        return None if offer is None else offer.term_months

    @extend_schema_field(serializers.CharField())
    def get_conditions(self, application: LoanApplication) -> str:
        offer = self._offer(application)
        return "" if offer is None else offer.conditions

    @extend_schema_field(serializers.CharField())
    def get_decline_reason(self, application: LoanApplication) -> str:
        track = self._facts(application).primary
        return "" if track is None else track.decline_reason

    @extend_schema_field(TrackOutput(many=True))
    def get_tracks(self, application: LoanApplication) -> list[dict[str, Any]]:
        tracks = self._facts(application).tracks
        return [
            {
                "banker": banker_ref(t.banker),
                "status": t.effective_status,
                "offer": None if t.current_offer is None else OfferOutput(t.current_offer).data,
            }
            for t in tracks
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_actions(self, application: LoanApplication) -> list[str]:
        """The actions the requesting user may take now (each a POST endpoint)."""
        return [str(a) for a in self._facts(application).actions]
