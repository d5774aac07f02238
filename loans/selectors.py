"""Reads of loan applications, always scoped to the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import BankerProfile
from accounts.permissions import is_banker, is_business_owner
from accounts.selectors import bankers_to_apply_to
from b2bbank.domain_errors import NotFound

from .models import FINAL_STATUSES, ApplicationEvent, LoanApplication, Status

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


CLOSED_SHOWN = 10
# Open applications shown per stage on the pipeline (longest waiting first); the
# stage's own page lists them all, a page at a time.
OPEN_SHOWN = 50


@dataclass
class PipelineGroup:
    status: Status
    applications: list[LoanApplication]
    total: int

    @property
    def count(self) -> int:
        return self.total

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def hidden(self) -> int:
        return self.total - len(self.applications)


def banker_pipeline(*, banker: Any) -> list[PipelineGroup]:
    """Applications sent to this banker, grouped by status: work waiting on the
    banker first. Each open stage shows its OPEN_SHOWN longest-waiting, each
    final one its CLOSED_SHOWN most recent, all with full counts; a stage's
    page (`banker_stage`) lists the rest."""
    visible = applications_visible_to(user=banker)
    totals = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    groups = {status: PipelineGroup(status, [], totals.get(status, 0)) for status in PIPELINE_ORDER}
    for status in PIPELINE_ORDER:
        if totals.get(status):
            shown = CLOSED_SHOWN if status in FINAL_STATUSES else OPEN_SHOWN
            groups[status].applications = list(banker_stage(banker=banker, status=status)[:shown])
    return list(groups.values())


def banker_stage(*, banker: Any, status: Status) -> QuerySet[LoanApplication]:
    """Every application sent to this banker in one stage: open ones the longest
    waiting first, closed ones the most recent first."""
    order = ("-status_changed_at", "-id") if status in FINAL_STATUSES else ("status_changed_at", "id")
    return applications_visible_to(user=banker).filter(status=status).order_by(*order)


def bankers_for_form() -> QuerySet[BankerProfile]:
    return bankers_to_apply_to()


def banker_to_apply_to(*, banker_id: int) -> BankerProfile | None:
    """The banker preselected from a profile's Apply button, if one may be applied to."""
    return bankers_to_apply_to().filter(user_id=banker_id).first()
