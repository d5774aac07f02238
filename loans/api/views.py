"""Applications API: list/create, retrieve/PATCH (draft), events, offers, and
one generic view for every registered action (loans.actions.REGISTRY)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.choices import Role
from accounts.permissions import IsBanker, IsBusinessOwner
from b2bbank.openapi import B2BAutoSchema
from idempotency.decorators import IDEMPOTENCY_KEY_PARAMETER, idempotent
from loans import selectors, services
from loans.actions import REGISTRY, Action, ActionSpec
from loans.models import LoanApplication, Status
from loans.permissions import IsOwnerOrBanker, actor_of

from .serializers import (
    ApplicationCreateInput,
    ApplicationOutput,
    ApplicationUpdateInput,
    EventOutput,
    OfferOutput,
)


class ApplicationFilter(filters.FilterSet):
    """`status` as the viewer sees it (selectors.status_filter): a banker's
    own track, expiry applied."""

    status = filters.ChoiceFilter(choices=Status.choices, method="filter_status")

    class Meta:
        model = LoanApplication
        fields = ("status",)

    def filter_status(
        self, queryset: QuerySet[LoanApplication], name: str, value: str
    ) -> QuerySet[LoanApplication]:
        return selectors.status_filter(queryset, user=self.request.user, status=Status(value))


class ApplicationPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _out(request: Request, application: LoanApplication) -> dict[str, Any]:
    fresh = selectors.application_for(user=request.user, application_id=application.pk)
    return ApplicationOutput(fresh, context={"request": request}).data


class ApplicationListApi(generics.ListAPIView):
    """GET: owners see theirs, bankers those sent to them (filter `status`),
    newest first, paginated. POST (owners): create a draft."""

    permission_classes = (IsOwnerOrBanker,)
    serializer_class = ApplicationOutput
    filter_backends = (filters.DjangoFilterBackend,)
    filterset_class = ApplicationFilter
    pagination_class = ApplicationPagination

    def get_permissions(self) -> Sequence[Any]:
        if self.request.method == "POST":
            return [IsBusinessOwner()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[LoanApplication]:
        return selectors.applications_visible_to(user=self.request.user)

    @extend_schema(
        request=ApplicationCreateInput,
        responses={201: ApplicationOutput},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = ApplicationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        application = services.application_create(
            owner=actor_of(request), banker_id=fields.pop("banker", None), **fields
        )
        return Response(_out(request, application), status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    """GET one application; PATCH (owner, while draft)."""

    permission_classes = (IsOwnerOrBanker,)

    def get_permissions(self) -> Sequence[Any]:
        if self.request.method == "PATCH":
            return [IsBusinessOwner()]
        return super().get_permissions()

    @extend_schema(responses=ApplicationOutput)
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_for(user=request.user, application_id=pk)
        return Response(ApplicationOutput(application, context={"request": request}).data)

    @extend_schema(request=ApplicationUpdateInput, responses=ApplicationOutput)
    def patch(self, request: Request, pk: int) -> Response:
        # 404 before validating input
        selectors.application_for(user=request.user, application_id=pk, with_tracks=False)
        data = ApplicationUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "banker" in fields:
            fields["banker_id"] = fields.pop("banker")
        application = services.application_update(actor=actor_of(request), application_id=pk, fields=fields)
        return Response(_out(request, application))


class ApplicationEventsApi(APIView):
    """The timeline: one event per status move, oldest first."""

    permission_classes = (IsOwnerOrBanker,)

    @extend_schema(responses=EventOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        events = selectors.application_events(user=request.user, application_id=pk)
        return Response(EventOutput(events, many=True).data)


class ActionSchema(B2BAutoSchema):
    """Each registered action's operation: its own input, id and summary."""

    def _spec(self) -> ActionSpec:
        return REGISTRY[self.view.loan_action]  # type: ignore[attr-defined]

    def get_request_serializer(self) -> Any:
        return self._spec().input_class()

    def get_response_serializers(self) -> Any:
        return ApplicationOutput

    def get_operation_id(self) -> str:
        return f"applications_{self._spec().action.value.replace('-', '_')}"

    def get_description(self) -> str:  # type: ignore[override]
        spec = self._spec()
        run = spec.run()
        return (run.__doc__ or spec.label).strip()


class ApplicationActionApi(APIView):
    """POST applications/{id}/<action>/ and applications/{id}/offers/{offer}/<action>/:
    the one view behind every action in loans.actions.REGISTRY. `loan_action`
    is set per route (loans/api/urls.py); the registry gives the role, the
    input and the service."""

    loan_action: ClassVar[Action | None] = None
    schema = ActionSchema()

    def _spec(self) -> ActionSpec:
        assert self.loan_action is not None  # noqa: S101 - set by every route
        return REGISTRY[self.loan_action]

    def get_permissions(self) -> Sequence[Any]:
        return [IsBusinessOwner() if self._spec().role == Role.BUSINESS_OWNER else IsBanker()]

    def post(self, request: Request, pk: int, offer: int | None = None) -> Response:
        spec = self._spec()
        # 404 before validating input
        selectors.application_for(user=request.user, application_id=pk, with_tracks=False)
        data = spec.input_class()(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.service_data()
        if offer is not None:
            arguments["offer_id"] = offer
        application = spec.run()(actor=request.user, application_id=pk, **arguments)
        return Response(_out(request, application))


class ApplicationOffersApi(APIView):
    """GET applications/{id}/offers/: the owner sees every offer, a banker only
    their own; expiry applied now (an expired offer never shows as open)."""

    permission_classes = (IsOwnerOrBanker,)

    @extend_schema(responses=OfferOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        offers = selectors.offers_for(user=request.user, application_id=pk)
        return Response(OfferOutput(offers, many=True).data)
