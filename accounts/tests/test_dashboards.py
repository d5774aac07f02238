"""The dashboards say what to do next: the owner's work waiting on them, the
banker's desk with a clock on anything past the review target. Query counts
are pinned so a list cannot turn into N+1."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chat.models import Conversation
from chat.tests.factories import MessageFactory
from documents.tests.factories import DocumentRequestFactory
from loans.models import ApplicationEvent, ApplicationTrack, LoanApplication, Status, TrackStatus
from loans.next_steps import OWNER_NEXT_STEP
from loans.tests.factories import ApplicationFactory, DraftFactory

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count(html: str, name: str) -> int:
    found = re.search(rf'data-count="{name}">(\d+)<', html)
    assert found, f"no {name} count on the page"
    return int(found.group(1))


def owner_world(owner: Any, banker: Any, banker_2: Any) -> dict[str, Any]:
    asked = ApplicationFactory(owner=owner, banker=banker, status=Status.INFO_REQUESTED)
    offered = ApplicationFactory(owner=owner, banker=banker_2, status=Status.APPROVED)
    reviewing = ApplicationFactory(owner=owner, banker=banker, status=Status.IN_REVIEW)
    DocumentRequestFactory(application=reviewing, requested_by=banker)
    declined = ApplicationFactory(owner=owner, banker=banker, status=Status.DECLINED)
    conversation = Conversation.objects.create(owner=owner, banker=banker)
    for _ in range(3):
        MessageFactory(conversation=conversation, sender=banker)
    return {"asked": asked, "offered": offered, "reviewing": reviewing, "declined": declined}


def test_owner_dashboard_says_what_needs_them_now(owner_a: Any, banker_x: Any, banker_y: Any) -> None:
    world = owner_world(owner_a, banker_x, banker_y)
    html = as_user(owner_a).get(reverse("accounts:owner-home")).content.decode()
    assert count(html, "info-requested") == 1
    assert f"Answer on {world['asked'].reference}" in html
    assert count(html, "offers-to-compare") == 1
    assert f"Compare offers on {world['offered'].reference}" in html
    assert count(html, "documents-asked") == 1
    assert f"Tax return for {world['reviewing'].reference}" in html
    assert count(html, "unread-messages") == 3


def test_owner_dashboard_gives_each_application_its_status_and_next_step(
    owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    world = owner_world(owner_a, banker_x, banker_y)
    draft = DraftFactory(owner=owner_a)
    html = as_user(owner_a).get(reverse("accounts:owner-home")).content.decode()
    table = html.split('id="apps-title"')[1]
    for application, status in [
        (world["asked"], Status.INFO_REQUESTED),
        (world["offered"], Status.APPROVED),
        (world["reviewing"], Status.IN_REVIEW),
        (world["declined"], Status.DECLINED),
        (draft, Status.DRAFT),
    ]:
        row = re.search(rf"{application.reference}</a>.*?</tr>", table, re.S)
        assert row, application.reference
        assert status.label in row.group(0)
        assert OWNER_NEXT_STEP[status].replace("'", "&#x27;") in row.group(0)


def test_owner_dashboard_never_shows_another_owners_work(owner_a: Any, owner_b: Any, banker_x: Any) -> None:
    theirs = ApplicationFactory(owner=owner_b, banker=banker_x, status=Status.INFO_REQUESTED)
    html = as_user(owner_a).get(reverse("accounts:owner-home")).content.decode()
    assert theirs.reference not in html
    assert 'data-testid="needs-you-empty"' in html


def test_owner_dashboard_empty_state_says_what_to_do(owner_a: Any) -> None:
    html = as_user(owner_a).get(reverse("accounts:owner-home")).content.decode()
    assert "Nothing needs you right now" in html
    assert "No applications yet" in html
    assert reverse("directory:search") in html
    assert "No unread messages" in html


def test_owner_dashboard_query_count_is_fixed(
    owner_a: Any, banker_x: Any, banker_y: Any, django_assert_num_queries: Any
) -> None:
    owner_world(owner_a, banker_x, banker_y)
    for _ in range(5):  # more rows must not mean more queries
        ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.APPROVED)
        DocumentRequestFactory(application=ApplicationFactory(owner=owner_a, banker=banker_y))
    client = as_user(owner_a)
    # session, user, company profile, 4 applications (open, tracks, offers,
    # closed), document requests, unread conversations, the nav's notification count
    with django_assert_num_queries(10):
        assert client.get(reverse("accounts:owner-home")).status_code == 200


def submitted_long_ago(banker: Any, owner: Any, days: int) -> LoanApplication:
    application = ApplicationFactory(owner=owner, banker=banker, status=Status.SUBMITTED)
    moment = timezone.now() - timedelta(days=days)
    ApplicationTrack.objects.filter(application=application).update(submitted_at=moment)
    LoanApplication.objects.filter(pk=application.pk).update(submitted_at=moment)
    return application


def banker_world(banker: Any, owner: Any) -> dict[str, Any]:
    old = submitted_long_ago(banker, owner, days=6)
    fresh = ApplicationFactory(owner=owner, banker=banker, status=Status.SUBMITTED)
    answered = ApplicationFactory(owner=owner, banker=banker, status=Status.IN_REVIEW)
    track = ApplicationTrack.objects.get(application=answered)
    ApplicationEvent.objects.create(
        application=answered,
        track=track,
        actor=owner,
        from_status=Status.INFO_REQUESTED,
        to_status=Status.IN_REVIEW,
    )
    ApplicationFactory(owner=owner, banker=banker, status=Status.INFO_REQUESTED)
    offered = ApplicationFactory(owner=owner, banker=banker, status=Status.APPROVED)
    return {"old": old, "fresh": fresh, "answered": answered, "offered": offered}


def test_banker_dashboard_shows_the_desk(banker_x: Any, owner_a: Any) -> None:
    world = banker_world(banker_x, owner_a)
    html = as_user(banker_x).get(reverse("accounts:banker-home")).content.decode()
    assert count(html, "new-submissions") == 2
    oldest = ApplicationTrack.objects.get(application=world["old"]).submitted_at
    assert f'datetime="{timezone.localtime(oldest).isoformat()}"' in html
    assert count(html, "answers") == 1
    assert f'{world["answered"].reference}</a> <span class="muted">' in html
    assert count(html, "offers") == 1
    assert world["offered"].reference in html


def test_banker_dashboard_puts_a_clock_on_submissions_past_the_target(banker_x: Any, owner_a: Any) -> None:
    world = banker_world(banker_x, owner_a)
    html = as_user(banker_x).get(reverse("accounts:banker-home")).content.decode()
    clocks = re.findall(r'data-testid="overdue-clock">([^<]+)<', html)
    assert clocks == ["6 days 0 h"]
    section = html.split('id="overdue-title"')[1].split("</section>")[0]
    assert world["old"].reference in section
    assert world["fresh"].reference not in section


def test_the_review_target_is_a_setting_the_clock_and_reminder_share(
    banker_x: Any, owner_a: Any, settings: Any
) -> None:
    from jobs.reminders import reminders_send
    from jobs.tasks import REMINDERS

    submitted_long_ago(banker_x, owner_a, days=6)
    settings.B2BBANK_REVIEW_TARGET_BUSINESS_DAYS = 10
    html = as_user(banker_x).get(reverse("accounts:banker-home")).content.decode()
    assert 'data-testid="overdue-clock"' not in html
    assert "within 10 business days" in html
    overdue = [r for r in REMINDERS if r.kind == "reminder.review_overdue"]
    assert reminders_send(reminders=overdue) == 0
    settings.B2BBANK_REVIEW_TARGET_BUSINESS_DAYS = 2
    assert reminders_send(reminders=overdue) == 1


def test_banker_dashboard_counts_only_their_own_tracks(banker_x: Any, banker_y: Any, owner_a: Any) -> None:
    banker_world(banker_y, owner_a)
    html = as_user(banker_x).get(reverse("accounts:banker-home")).content.decode()
    assert count(html, "new-submissions") == 0
    assert count(html, "offers") == 0
    assert "Nothing is past the target" in html
    assert "No answers waiting" in html


def test_banker_dashboard_query_count_is_fixed(
    banker_x: Any, owner_a: Any, django_assert_num_queries: Any
) -> None:
    banker_world(banker_x, owner_a)
    for days in range(3, 9):
        submitted_long_ago(banker_x, owner_a, days=days)
        ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.APPROVED)
    client = as_user(banker_x)
    # session, user, profile, evidence, the desk's 4, documents, unread
    # conversations, the nav's notification count
    with django_assert_num_queries(11):
        assert client.get(reverse("accounts:banker-home")).status_code == 200


def test_pending_banker_dashboard_still_shows_verification(pending_banker: Any) -> None:
    html = as_user(pending_banker).get(reverse("accounts:banker-home")).content.decode()
    assert "Your profile is awaiting verification" in html
    assert 'data-testid="banker-work"' not in html


def test_dashboards_refresh_live_on_the_frames_that_exist(owner_a: Any, banker_x: Any) -> None:
    """Both pages load the live script, listening to frames services already send."""
    for user, route in [(owner_a, "accounts:owner-home"), (banker_x, "accounts:banker-home")]:
        html = as_user(user).get(reverse(route)).content.decode()
        frames = re.search(r'live_page\.js" data-frames="([^"]+)"', html)
        assert frames, route
        assert {"application.status", "document.new", "message.new"} <= set(frames.group(1).split())


def test_track_statuses_all_have_a_next_step() -> None:
    assert set(OWNER_NEXT_STEP) == set(Status)
    assert TrackStatus.OFFERED not in OWNER_NEXT_STEP  # the owner reads `approved`


def test_owner_dashboard_puts_what_waits_on_them_first_and_stays_short(owner_a: Any, banker_x: Any) -> None:
    for _ in range(12):
        ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    for _ in range(5):
        ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.DECLINED)
    asked = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.INFO_REQUESTED)
    html = as_user(owner_a).get(reverse("accounts:owner-home")).content.decode()
    table = html.split('id="apps-title"')[1].split("</table>")[0]
    references = re.findall(r"(LA-\d{6})</a>", table)
    assert references[0] == asked.reference
    assert len(references) == 10 + 3  # ten open, the three most recent closed
    assert "All 13 open and the closed ones" in html
