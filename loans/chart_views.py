"""The pipeline charts: a banker's own ("My pipeline") and the platform's
(staff). Each chart is server-rendered SVG with its numbers in a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.choices import Role
from accounts.permissions import role_required
from b2bbank.svg_charts import ColumnChart, RowChart, column_chart, row_chart

from . import charts
from .permissions import can_view_platform_charts


@dataclass(frozen=True)
class ChartBlock:
    """One chart on the page: its heading, a sentence that says what it shows
    (the SVG's accessible name), the drawing and the table's column headings."""

    slug: str
    title: str
    summary: str
    chart: ColumnChart | RowChart
    headers: tuple[str, ...]

    @property
    def is_rows(self) -> bool:
        return isinstance(self.chart, RowChart)


def _week(day: date) -> str:
    return f"{day:%b} {day.day}"


def _received(banker: Any | None, now: datetime) -> ChartBlock:
    weeks = charts.received_per_week(banker=banker, now=now)
    total = sum(n for _, n in weeks)
    chart = column_chart(
        [_week(w) for w, _ in weeks], [("Applications", [float(n) for _, n in weeks])], counts=True
    )
    summary = f"{total} application{'s' if total != 1 else ''} received in the last {charts.WEEKS} weeks."
    return ChartBlock(
        "received", "Applications received per week", summary, chart, ("Week of", "Applications")
    )


def _review(banker: Any | None, now: datetime) -> ChartBlock:
    weeks = charts.review_times(banker=banker, now=now)
    chart = column_chart(
        [_week(w.week) for w in weeks],
        [("Median", [w.median_hours for w in weeks]), ("90th percentile", [w.p90_hours for w in weeks])],
    )
    reviewed = sum(w.reviewed for w in weeks)
    summary = (
        f"Hours from submission to the first review, by week of submission ({reviewed} reviewed). "
        "Half were reviewed within the median, nine in ten within the 90th percentile."
    )
    headers = ("Week of", "Median (hours)", "90th percentile (hours)")
    return ChartBlock("review", "Time to first review (hours)", summary, chart, headers)


def _funnel(banker: Any | None, now: datetime) -> ChartBlock:
    steps = charts.funnel(banker=banker, now=now)
    chart = row_chart([(label, float(n)) for label, n in steps])
    submitted, *_, accepted = (n for _, n in steps)
    summary = f"Of {submitted} submitted in the last {charts.WEEKS} weeks, {accepted} accepted an offer."
    return ChartBlock("funnel", "From submitted to accepted", summary, chart, ("Step", "Applications"))


def _reasons(banker: Any | None, now: datetime) -> ChartBlock:
    reasons = charts.decline_reasons(banker=banker, now=now)
    chart = row_chart([(label, float(n)) for label, n in reasons])
    total = sum(n for _, n in reasons)
    summary = (
        f"{total} decline{'s' if total != 1 else ''} in the last {charts.WEEKS} weeks, by the reason given."
    )
    return ChartBlock("reasons", "Decline reasons", summary, chart, ("Reason", "Declines"))


def _active(now: datetime) -> ChartBlock:
    weeks = charts.active_bankers(now=now)
    chart = column_chart(
        [_week(w) for w, _ in weeks], [("Active bankers", [float(n) for _, n in weeks])], counts=True
    )
    peak = max((n for _, n in weeks), default=0)
    summary = f"Bankers who moved at least one application each week; at most {peak} in one week."
    return ChartBlock("active", "Active bankers per week", summary, chart, ("Week of", "Bankers"))


def _blocks(banker: Any | None) -> list[ChartBlock]:
    now = timezone.now()
    blocks = [_received(banker, now), _review(banker, now), _funnel(banker, now), _reasons(banker, now)]
    return blocks if banker is not None else [*blocks, _active(now)]


@role_required(Role.BANKER)
def pipeline_charts(request: HttpRequest) -> HttpResponse:
    """My pipeline: the signed-in banker's own figures only."""
    context = {"blocks": _blocks(request.user), "scope": "mine", "weeks": charts.WEEKS}
    return render(request, "loans/charts.html", context)


def platform_charts(request: HttpRequest) -> HttpResponse:
    """The same charts for the whole platform, with active bankers (staff)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_platform_charts(request.user):
        raise PermissionDenied("The platform's charts are for staff.")
    context = {"blocks": _blocks(None), "scope": "platform", "weeks": charts.WEEKS}
    return render(request, "loans/charts.html", context)
