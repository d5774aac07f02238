"""Applications API: list/create, retrieve/PATCH (draft), one POST per action, events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, cast

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsBanker, IsBusinessOwner
from idempotency.decorators import IDEMPOTENCY_KEY_PARAMETER, idempotent
from loans import selectors, services
from loans.models import LoanApplication, Status
from loans.permissions import IsOwnerOrBanker

from .serializers import (
    ApplicationCreateInput,
    ApplicationOutput,
    ApplicationUpdateInput,
    ApproveInput,
    DeclineInput,
    EventOutput,
    NoteInput,
    RequiredNoteInput,
    SubmitInput,
)


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)

    class Meta:
        model = LoanApplication
        fields = ("status",)


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
            owner=request.user, banker_id=fields.pop("banker", None), **fields
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
        selectors.application_for(user=request.user, application_id=pk)  # 404 before validating input
        data = ApplicationUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "banker" in fields:
            fields["banker_id"] = fields.pop("banker")
        application = services.application_update(actor=request.user, application_id=pk, fields=fields)
        return Response(_out(request, application))


class ApplicationEventsApi(APIView):
    """The timeline: one event per status move, oldest first."""

    permission_classes = (IsOwnerOrBanker,)

    @extend_schema(responses=EventOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        events = selectors.application_events(user=request.user, application_id=pk)
        return Response(EventOutput(events, many=True).data)


class _ActionApi(APIView):
    """One POST per action. Subclasses set the input and call their service."""

    input_class: ClassVar[type[Any]] = NoteInput
    run: ClassVar[Callable[..., LoanApplication]]

    def post(self, request: Request, pk: int) -> Response:
        selectors.application_for(user=request.user, application_id=pk)  # 404 before validating input
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        application = type(self).run(actor=request.user, application_id=pk, **data.validated_data)
        return Response(_out(request, application))


def _submit(*, actor: Any, application_id: int, note: str, banker: int | None = None) -> LoanApplication:
    return services.application_submit(
        actor=actor, application_id=application_id, banker_id=banker, note=note
    )


def _action(
    name: str, permission: type[BasePermission], input_class: type, run: Callable[..., LoanApplication]
) -> type[_ActionApi]:
    """One POST endpoint per action: its role guard, its input, its service."""
    schema = extend_schema(
        request=input_class, responses=ApplicationOutput, operation_id=f"applications_{name}"
    )
    attrs = {"permission_classes": (permission,), "input_class": input_class, "run": staticmethod(run)}
    view = cast("type[_ActionApi]", type(f"{name.title().replace('_', '')}Api", (_ActionApi,), attrs))
    return extend_schema_view(post=schema)(view)


SubmitApi = _action("submit", IsBusinessOwner, SubmitInput, _submit)
WithdrawApi = _action("withdraw", IsBusinessOwner, NoteInput, services.application_withdraw)
RespondApi = _action("respond", IsBusinessOwner, RequiredNoteInput, services.application_respond)
StartReviewApi = _action("start_review", IsBanker, NoteInput, services.application_start_review)
RequestInfoApi = _action("request_info", IsBanker, RequiredNoteInput, services.application_request_info)
ApproveApi = _action("approve", IsBanker, ApproveInput, services.application_approve)
DeclineApi = _action("decline", IsBanker, DeclineInput, services.application_decline)
