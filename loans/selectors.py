"""Reads of loan applications, always scoped to the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.models import BankerProfile
from accounts.permissions import is_banker, is_business_owner
from accounts.selectors import bankers_to_apply_to
from b2bbank.domain_errors import NotFound

from .models import ApplicationEvent, LoanApplication, Status

PIPELINE_ORDER = (
    Status.SUBMITTED,
    Status.INFO_REQUESTED,
    Status.IN_REVIEW,
    Status.APPROVED,
    Status.DECLINED,
    Status.WITHDRAWN,
)


def _with_parties(queryset: QuerySet[LoanApplication]) -> QuerySet[LoanApplication]:
    return queryset.select_related("owner__owner_profile", "banker__banker_profile")


def applications_visible_to(*, user: Any) -> QuerySet[LoanApplication]:
    """Owners see theirs; bankers see those sent to them; anyone else nothing."""
    if is_business_owner(user):
        return _with_parties(LoanApplication.objects.for_owner(user))
    if is_banker(user):
        return _with_parties(LoanApplication.objects.for_banker(user))
    return LoanApplication.objects.none()


def application_for(*, user: Any, application_id: int, with_events: bool = False) -> LoanApplication:
    queryset = applications_visible_to(user=user)
    if with_events:
        queryset = queryset.prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor"))
        )
    application = queryset.filter(pk=application_id).first()
    if application is None:
        raise NotFound("No such application.")
    return application


def application_events(*, user: Any, application_id: int) -> QuerySet[ApplicationEvent]:
    application = application_for(user=user, application_id=application_id)
    return ApplicationEvent.objects.filter(application=application).select_related("actor")


@dataclass
class PipelineGroup:
    status: Status
    applications: list[LoanApplication]

    @property
    def count(self) -> int:
        return len(self.applications)


def banker_pipeline(*, banker: Any) -> list[PipelineGroup]:
    """Applications sent to this banker, grouped by status (work waiting on the
    banker first), the longest-waiting first within each group."""
    rows = list(applications_visible_to(user=banker).order_by("status_changed_at", "id"))
    groups = {status: PipelineGroup(status, []) for status in PIPELINE_ORDER}
    for application in rows:
        groups[Status(application.status)].applications.append(application)
    return list(groups.values())


def bankers_for_form() -> QuerySet[BankerProfile]:
    return bankers_to_apply_to()
