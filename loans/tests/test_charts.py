"""The pipeline charts: each figure's selector, the banker's scope (only their
own tracks), the pages' access and their pinned query counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from loans import charts
from loans.models import ApplicationEvent, ApplicationTrack, Status, TrackStatus
from loans.tests.factories import ApplicationFactory, make_offer

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def three_weeks_ago(now: datetime) -> datetime:
    """Tuesday noon three weeks back: inside the window, whatever today is."""
    monday = (now - timedelta(days=now.weekday(), weeks=3)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    return monday + timedelta(days=1)


def track_submitted(
    banker: Any, owner: Any, at: datetime, status: str = Status.SUBMITTED
) -> ApplicationTrack:
    application = ApplicationFactory(owner=owner, banker=banker, status=status)
    track = ApplicationTrack.objects.get(application=application)
    ApplicationTrack.objects.filter(pk=track.pk).update(submitted_at=at)
    track.refresh_from_db()
    return track


def reviewed(track: ApplicationTrack, at: datetime, to_status: str = Status.IN_REVIEW) -> None:
    with mock.patch("django.utils.timezone.now", return_value=at):
        ApplicationEvent.objects.create(
            application=track.application,
            track=track,
            actor=track.banker,
            from_status=Status.SUBMITTED,
            to_status=to_status,
        )


def test_received_per_week_counts_each_week_and_fills_empty_ones(banker_x: Any, owner_a: Any) -> None:
    now = timezone.now()
    base = three_weeks_ago(now)
    for _ in range(3):
        track_submitted(banker_x, owner_a, base)
    track_submitted(banker_x, owner_a, now - timedelta(weeks=20))  # outside the window
    weeks = charts.received_per_week(banker=banker_x, now=now)
    assert len(weeks) == charts.WEEKS
    assert weeks[-1][0] == (now - timedelta(days=now.weekday())).date()
    assert dict(weeks)[(base - timedelta(days=1)).date()] == 3
    assert sum(n for _, n in weeks) == 3


def test_review_times_are_the_median_and_90th_percentile(banker_x: Any, owner_a: Any) -> None:
    now = timezone.now()
    base = three_weeks_ago(now)
    for hours in (1, 2, 3, 10):
        reviewed(track_submitted(banker_x, owner_a, base), base + timedelta(hours=hours))
    track_submitted(banker_x, owner_a, base)  # not reviewed yet: not counted
    week = next(w for w in charts.review_times(banker=banker_x, now=now) if w.reviewed)
    assert week.week == (base - timedelta(days=1)).date()
    assert (week.reviewed, week.median_hours, week.p90_hours) == (4, 2.5, 7.9)


def test_a_decline_straight_from_submitted_counts_as_the_first_review(banker_x: Any, owner_a: Any) -> None:
    now = timezone.now()
    base = three_weeks_ago(now)
    reviewed(track_submitted(banker_x, owner_a, base), base + timedelta(hours=5), Status.DECLINED)
    week = next(w for w in charts.review_times(banker=banker_x, now=now) if w.reviewed)
    assert week.median_hours == 5.0


def test_funnel_from_submitted_to_accepted(banker_x: Any, owner_a: Any) -> None:
    now = timezone.now()
    base = three_weeks_ago(now)
    tracks = [track_submitted(banker_x, owner_a, base) for _ in range(4)]
    for track in tracks[:3]:
        reviewed(track, base + timedelta(hours=1))
    for track in tracks[:2]:
        make_offer(track)
    ApplicationTrack.objects.filter(pk=tracks[0].pk).update(status=TrackStatus.ACCEPTED)
    assert charts.funnel(banker=banker_x, now=now) == [
        ("Submitted", 4),
        ("Reviewed", 3),
        ("Offered", 2),
        ("Accepted", 1),
    ]


def test_decline_reasons_group_the_same_words_and_fold_the_rest(
    banker_x: Any, owner_a: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(charts, "TOP_REASONS", 2)
    now = timezone.now()
    for reason in ["Revenue too low", "revenue too low ", "Too early", "Too early", "Too early", "", "Other"]:
        track = track_submitted(banker_x, owner_a, now, status=Status.DECLINED)
        ApplicationTrack.objects.filter(pk=track.pk).update(decline_reason=reason, decided_at=now)
    assert charts.decline_reasons(banker=banker_x, now=now) == [
        ("Too early", 3),
        ("Revenue too low", 2),
        ("Other reasons", 2),
    ]


def test_a_banker_sees_only_their_own_figures_staff_see_everyone(
    banker_x: Any, banker_y: Any, owner_a: Any
) -> None:
    now = timezone.now()
    track_submitted(banker_y, owner_a, now)
    reviewed(track_submitted(banker_y, owner_a, now), now)
    assert sum(n for _, n in charts.received_per_week(banker=banker_x, now=now)) == 0
    assert charts.funnel(banker=banker_x, now=now)[0] == ("Submitted", 0)
    assert sum(n for _, n in charts.received_per_week(banker=None, now=now)) == 2
    assert charts.active_bankers(now=now)[-1][1] == 1


def test_active_bankers_count_each_banker_once_a_week(banker_x: Any, banker_y: Any, owner_a: Any) -> None:
    now = timezone.now()
    for banker in (banker_x, banker_x, banker_y):
        reviewed(track_submitted(banker, owner_a, now), now)
    ApplicationEvent.objects.create(
        application=ApplicationFactory(owner=owner_a, banker=banker_x),
        actor=owner_a,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
    )
    assert charts.active_bankers(now=now)[-1][1] == 2


def test_my_pipeline_page_shows_every_chart_with_its_table(banker_x: Any, owner_a: Any) -> None:
    now = timezone.now()
    reviewed(track_submitted(banker_x, owner_a, now - timedelta(hours=2)), now)
    html = as_user(banker_x).get(reverse("loans:pipeline-charts")).content.decode()
    for slug in ("received", "review", "funnel", "reasons"):
        assert f'data-chart="{slug}"' in html
    assert 'data-chart="active"' not in html
    assert html.count('role="img"') == 3  # no declines yet: that chart says so instead
    assert "Nothing to show yet" in html
    assert html.count('<details class="chart-data">') == 4


def test_a_hostile_decline_reason_is_text_in_the_chart(banker_x: Any, owner_a: Any) -> None:
    track = track_submitted(banker_x, owner_a, timezone.now(), status=Status.DECLINED)
    ApplicationTrack.objects.filter(pk=track.pk).update(
        decline_reason='<script>alert(1)</script>"/><svg onload=x>', decided_at=timezone.now()
    )
    html = as_user(banker_x).get(reverse("loans:pipeline-charts")).content.decode()
    assert "<script>alert" not in html
    assert "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_platform_page_adds_active_bankers(staff: Any) -> None:
    html = as_user(staff).get(reverse("loans:platform-charts")).content.decode()
    assert 'data-chart="active"' in html
    assert "Platform pipeline" in html


def test_chart_pages_query_counts_are_fixed(
    banker_x: Any, owner_a: Any, staff: Any, django_assert_num_queries: Any
) -> None:
    now = timezone.now()
    for _ in range(4):
        track = track_submitted(banker_x, owner_a, now, status=Status.DECLINED)
        reviewed(track, now, Status.DECLINED)
    banker, admin = as_user(banker_x), as_user(staff)
    # session, user, one per chart (4), the nav's notification count
    with django_assert_num_queries(7):
        assert banker.get(reverse("loans:pipeline-charts")).status_code == 200
    # the same and active bankers
    with django_assert_num_queries(8):
        assert admin.get(reverse("loans:platform-charts")).status_code == 200


@pytest.mark.parametrize(
    ("who", "route", "expected"),
    [
        ("owner_a", "loans:pipeline-charts", 403),
        ("staff", "loans:pipeline-charts", 403),
        ("banker_x", "loans:platform-charts", 403),
        ("owner_a", "loans:platform-charts", 403),
    ],
)
def test_chart_pages_refuse_the_wrong_role(who: str, route: str, expected: int, request: Any) -> None:
    assert as_user(request.getfixturevalue(who)).get(reverse(route)).status_code == expected


@pytest.mark.parametrize("route", ["loans:pipeline-charts", "loans:platform-charts"])
def test_chart_pages_send_anonymous_visitors_to_sign_in(client: Client, route: str) -> None:
    response = client.get(reverse(route))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("authentication:login"))
