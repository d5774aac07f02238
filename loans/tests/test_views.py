from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import OwnerFactory
from loans.models import ApplicationTrack, LoanApplication, Status, TrackStatus
from loans.tests.factories import ApplicationFactory, DraftFactory
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


NEW = {"product": "term_loan", "amount": "250000", "term_months": "36", "purpose": "Second CNC line"}


def test_new_application_preselects_banker_from_profile_link(owner_a: Any, banker_x: Any) -> None:
    response = client_for(owner_a).get(reverse("loans:new"), {"banker": banker_x.pk})
    assert f'<option value="{banker_x.pk}" selected>' in response.content.decode()


def test_new_application_ignores_a_malformed_banker_param(owner_a: Any) -> None:
    response = client_for(owner_a).get(reverse("loans:new"), {"banker": "abc"})
    assert response.status_code == 200


def test_owner_applies_and_submits_in_one_step(
    owner_a: Any, banker_x: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner_a).post(
            reverse("loans:new"), {**NEW, "banker": banker_x.pk, "intent": "submit"}, follow=True
        )
    application = LoanApplication.objects.get()
    assert application.status == Status.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("loans:detail", args=[application.pk])
    assert "has been sent to the banker" in response.content.decode()
    assert send_queued_emails() == 1
    assert [m.to for m in mail.outbox] == [[banker_x.email]]


def test_ineligible_submit_keeps_the_draft_and_says_why(owner_a: Any, banker_x: Any) -> None:
    response = client_for(owner_a).post(
        reverse("loans:new"),
        {**NEW, "amount": "5000", "banker": banker_x.pk, "intent": "submit"},
        follow=True,
    )
    assert LoanApplication.objects.get().status == Status.DRAFT
    assert "below this banker&#x27;s minimum" in response.content.decode()


def test_invalid_form_is_400_with_field_errors(owner_a: Any) -> None:
    response = client_for(owner_a).post(reverse("loans:new"), {**NEW, "amount": "-1", "term_months": "900"})
    assert response.status_code == 400
    assert response.content.decode().count('class="field field-invalid') == 2
    assert LoanApplication.objects.count() == 0


def test_banker_approves_with_terms_and_owner_sees_them(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    response = client_for(banker_x).post(
        reverse("loans:action", args=[application.pk, "approve"]),
        {
            "approve-approved_amount": "200000",
            "approve-interest_rate": "7.25",
            "approve-term_months": "48",
            "approve-conditions": "Personal guarantee",
        },
    )
    assert response.status_code == 200  # the confirmation step restates the terms first
    confirm = response.content.decode()
    assert "Confirm: make an offer" in confirm
    assert "200,000.00" in confirm
    assert "$4,812.48" in confirm  # the monthly payment the owner will see
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    response = client_for(banker_x).post(
        reverse("loans:action", args=[application.pk, "approve"]),
        {
            "approve-approved_amount": "200000",
            "approve-interest_rate": "7.25",
            "approve-term_months": "48",
            "approve-conditions": "Personal guarantee",
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    page = client_for(owner_a).get(reverse("loans:detail", args=[application.pk])).content.decode()
    assert "Offer</h2>" in page
    assert "$200,000.00" in page
    assert "7.25%" in page
    assert "48 months" in page
    assert "$4,812.48" in page
    assert "Personal guarantee" in page


def test_refused_action_shows_why_and_changes_nothing(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    response = client_for(banker_x).post(
        reverse("loans:action", args=[application.pk, "decline"]),
        {"decline-reason": "No", "confirmed": "1"},
        follow=True,
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.DECLINED  # decline is allowed from submitted
    response = client_for(owner_a).post(
        reverse("loans:action", args=[application.pk, "withdraw"]),
        {"withdraw-note": "", "confirmed": "1"},
        follow=True,
    )
    assert "You cannot withdraw an application that is declined." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert application.events.count() == 1


def test_withdraw_asks_for_confirmation_first(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x)
    client = client_for(owner_a)
    page = client.get(reverse("loans:action", args=[application.pk, "withdraw"])).content.decode()
    assert "Withdraw" in page
    assert "cannot be undone" in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    client.post(reverse("loans:action", args=[application.pk, "withdraw"]), {"withdraw-note": ""})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED  # the second step asks again
    client.post(
        reverse("loans:action", args=[application.pk, "withdraw"]), {"withdraw-note": "", "confirmed": "1"}
    )
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_detail_shows_only_open_actions(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    banker_page = client_for(banker_x).get(reverse("loans:detail", args=[application.pk])).content.decode()
    assert "Start review" in banker_page
    assert "Make an offer" not in banker_page  # approve needs in_review
    assert "Decline" in banker_page
    assert application.owner.owner_profile.company_name in banker_page
    owner_page = client_for(owner_a).get(reverse("loans:detail", args=[application.pk])).content.decode()
    assert "Withdraw…" in owner_page
    assert "Start review" not in owner_page
    assert f'data-application="{application.pk}"' in owner_page
    assert "js/application_live" in owner_page


def test_pipeline_groups_by_status_oldest_waiting_first(banker_x: Any) -> None:
    newer = ApplicationFactory(banker=banker_x, status=Status.SUBMITTED)
    older = ApplicationFactory(banker=banker_x, status=Status.SUBMITTED)
    ApplicationTrack.objects.filter(application=older).update(
        status_changed_at=newer.status_changed_at.replace(year=2020)
    )
    ApplicationFactory(banker=banker_x, status=Status.IN_REVIEW)
    DraftFactory(banker=banker_x)
    response = client_for(banker_x).get(reverse("loans:pipeline"))
    groups = {g.status: g for g in response.context["groups"]}
    assert [t.application_id for t in groups[TrackStatus.SUBMITTED].applications] == [older.pk, newer.pk]
    assert groups[Status.IN_REVIEW].count == 1
    assert Status.DRAFT not in groups
    page = response.content.decode()
    assert page.index(older.reference) < page.index(newer.reference)


def test_owner_list_newest_first(owner_a: Any, banker_x: Any) -> None:
    first = ApplicationFactory(owner=owner_a, banker=banker_x)
    second = DraftFactory(owner=owner_a)
    page = client_for(owner_a).get(reverse("loans:list")).content.decode()
    assert page.index(second.reference) < page.index(first.reference)


# --- query counts: pages do not grow with rows --------------------------------
# session + user + the page's own reads + the nav's unread count


def test_pipeline_query_count(banker_x: Any, django_assert_num_queries: Any) -> None:
    terms = {"approved_amount": 1000, "interest_rate": 1, "approved_term_months": 1}
    for status in (
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.INFO_REQUESTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    ):
        for _ in range(3):
            ApplicationFactory(owner=OwnerFactory(), banker=banker_x, status=status)
    for _ in range(3):
        ApplicationFactory(owner=OwnerFactory(), banker=banker_x, status=Status.APPROVED, **terms)
    client = client_for(banker_x)
    # session, user, counts by status, one per non-empty stage (six here), unread count
    with django_assert_num_queries(10):
        response = client.get(reverse("loans:pipeline"))
    counts = {g.status: g.count for g in response.context["groups"]}
    assert counts == {
        "submitted": 3,
        "info_requested": 3,
        "in_review": 3,
        "offered": 3,
        "accepted": 0,
        "not_selected": 0,
        "declined": 3,
        "withdrawn": 3,
        "expired": 0,
    }


def test_pipeline_shows_only_recent_closed_applications(banker_x: Any) -> None:
    for _ in range(12):
        ApplicationFactory(banker=banker_x, status=Status.WITHDRAWN)
    response = client_for(banker_x).get(reverse("loans:pipeline"))
    withdrawn = next(g for g in response.context["groups"] if g.status == Status.WITHDRAWN)
    assert (withdrawn.count, len(withdrawn.applications)) == (12, 10)
    body = response.content.decode()
    assert "Showing the 10 most recent of 12." in body
    assert reverse("loans:pipeline-stage", args=["withdrawn"]) in body  # no dead end


def test_pipeline_caps_open_stages_and_links_to_all(banker_x: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from loans import selectors

    monkeypatch.setattr(selectors, "OPEN_SHOWN", 3)
    made = [ApplicationFactory(banker=banker_x, status=Status.SUBMITTED) for _ in range(5)]
    for age, application in enumerate(made):  # made[0] has waited longest
        ApplicationTrack.objects.filter(application=application).update(
            status_changed_at=timezone.now() - timedelta(days=10 - age)
        )
    response = client_for(banker_x).get(reverse("loans:pipeline"))
    submitted = next(g for g in response.context["groups"] if g.status == Status.SUBMITTED)
    assert [t.application_id for t in submitted.applications] == [a.pk for a in made[:3]]
    assert "Showing the 3 longest waiting of 5." in response.content.decode()
    assert reverse("loans:pipeline-stage", args=["submitted"]) in response.content.decode()


def test_stage_page_lists_every_application_a_page_at_a_time(
    banker_x: Any, banker_y: Any, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    from loans import views

    monkeypatch.setattr(views, "STAGE_PAGE_SIZE", 2)
    mine = [ApplicationFactory(banker=banker_x, status=Status.DECLINED) for _ in range(3)]
    ApplicationFactory(banker=banker_y, status=Status.DECLINED)
    ApplicationFactory(banker=banker_x, status=Status.SUBMITTED)
    client = client_for(banker_x)
    url = reverse("loans:pipeline-stage", args=["declined"])
    with django_assert_num_queries(5):  # session, user, count, page, unread count
        first = client.get(url)
    second = client.get(url, {"page": 2})
    shown = [t.application_id for t in first.context["page"]] + [
        t.application_id for t in second.context["page"]
    ]
    assert shown == [a.pk for a in reversed(mine)]  # most recent first, only this banker's, only this stage
    assert "Page 1 of 2" in first.content.decode()
    for bad in ("3", "0", "x"):
        assert client.get(url, {"page": bad}).status_code == 404
    assert client.get(reverse("loans:pipeline-stage", args=["draft"])).status_code == 404
    assert client.get(reverse("loans:pipeline-stage", args=["offered"])).context["page"].paginator.count == 0
    assert (
        client.get(reverse("loans:pipeline-stage", args=["approved"])).status_code == 404
    )  # a track is "offered"


def test_owner_list_query_count(owner_a: Any, banker_x: Any, django_assert_num_queries: Any) -> None:
    for _ in range(6):
        ApplicationFactory(owner=owner_a, banker=banker_x)
    client = client_for(owner_a)
    # session, user, applications with parties, their tracks, the tracks' offers, unread count
    with django_assert_num_queries(6):
        response = client.get(reverse("loans:list"))
    assert response.status_code == 200


def test_detail_query_count(owner_a: Any, banker_x: Any, django_assert_num_queries: Any) -> None:
    from loans import services

    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    for note in ("a", "b", "c"):
        services.application_request_info(actor=banker_x, application_id=application.pk, note=note)
        services.application_respond(actor=owner_a, application_id=application.pk, note=note)
    client = client_for(banker_x)
    # session, user, application with parties, the banker's track, its offers, mark its
    # notifications read, events with actors and tracks, unread count, and the documents
    # section (documents.selectors): its documents and requests, and whether this banker
    # is on the application (loans.permissions, for the request form)
    with django_assert_num_queries(11):
        response = client.get(reverse("loans:detail", args=[application.pk]))
    assert len(response.context["events"]) == 6


def test_new_application_shows_the_chosen_banker_only_if_verified(
    owner_a: Any, banker_x: Any, pending_banker: Any
) -> None:
    client = client_for(owner_a)
    page = client.get(reverse("loans:new"), {"banker": banker_x.pk}).content.decode()
    assert "Applying to" in page
    assert banker_x.banker_profile.institution in page
    page = client.get(reverse("loans:new"), {"banker": pending_banker.pk}).content.decode()
    assert "Applying to" not in page
    assert f'value="{pending_banker.pk}"' not in page


def test_owner_sees_the_bankers_question_at_the_top(owner_a: Any, banker_x: Any) -> None:
    from loans import services

    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    services.application_request_info(
        actor=banker_x, application_id=application.pk, note="Which lender holds the lien?"
    )
    page = client_for(owner_a).get(reverse("loans:detail", args=[application.pk])).content.decode()
    notice = page[page.index("The banker needs more information") :]
    assert notice.index("Which lender holds the lien?") < notice.index("The request")


def test_viewing_an_application_reads_its_notifications(owner_a: Any, banker_x: Any) -> None:
    from loans import services
    from notifications.models import Notification

    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    other = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    services.application_start_review(actor=banker_x, application_id=application.pk)
    services.application_start_review(actor=banker_x, application_id=other.pk)
    response = client_for(owner_a).get(reverse("loans:detail", args=[application.pk]))
    assert (
        '<span class="nav-count" data-nav-notifications aria-label="1 unread">1</span>'
        in response.content.decode()
    )
    unread = Notification.objects.filter(recipient=owner_a, read_at__isnull=True)
    assert list(unread.values_list("link", flat=True)) == [reverse("loans:detail", args=[other.pk])]


def test_pipeline_says_how_long_ago_in_words_down_to_now(banker_x: Any) -> None:
    """A just-closed application reads "now", not "0 minutes ago"."""
    ApplicationFactory(banker=banker_x, status=Status.WITHDRAWN)
    waiting = ApplicationFactory(banker=banker_x, status=Status.SUBMITTED)
    ApplicationTrack.objects.filter(application=waiting).update(
        status_changed_at=timezone.now() - timedelta(hours=3)
    )
    body = client_for(banker_x).get(reverse("loans:pipeline")).content.decode()
    assert "0\xa0minutes" not in body
    assert ">now</time>" in body or "seconds ago</time>" in body or "a second ago</time>" in body
    assert ">3\xa0hours</time>" in body  # "Waiting for: 3 hours"; the number and unit stay together


@pytest.mark.parametrize("banker", ["²", "9" * 5000, "0", "-1", "1.5", "١٢"])
def test_new_application_page_ignores_a_banker_parameter_that_is_not_an_id(owner_a: Any, banker: str) -> None:
    client = Client()
    client.force_login(owner_a)
    response = client.get(reverse("loans:new"), {"banker": banker})
    assert response.status_code == 200
    assert "Choose later" in response.content.decode()
