"""A banker whose verification is taken away: their undecided applications go
back to the owners as drafts, and they can take no action on any application,
whatever the entry point (DESIGN.md: only verified bankers can be applied to)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.choices import VerificationStatus
from accounts.models import BankerProfile
from audit.models import AuditRecord
from b2bbank.domain_errors import Forbidden
from loans import services
from loans.models import ApplicationEvent, LoanApplication, Status
from loans.tests.factories import ApplicationFactory, DraftFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db

OPEN = (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)


def revoke(banker: Any, staff: Any, status: VerificationStatus = VerificationStatus.REJECTED) -> None:
    account_services.banker_set_verification(banker_id=banker.pk, status=status, actor=staff)


@pytest.mark.parametrize("status", OPEN)
def test_open_application_returns_to_the_owner_as_a_draft_when_verification_is_revoked(
    owner_a: Any, banker_x: Any, staff: Any, status: Status, django_capture_on_commit_callbacks: Any
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=status)
    with django_capture_on_commit_callbacks(execute=False):
        revoke(banker_x, staff)
    application.refresh_from_db()
    assert (application.status, application.banker_id, application.submitted_at) == (Status.DRAFT, None, None)
    event = ApplicationEvent.objects.get(application=application)
    assert (event.actor_id, event.from_status, event.to_status) == (None, status, Status.DRAFT)
    assert event.actor_name == "b2bbank"
    assert "choose another banker" in event.note
    notice = Notification.objects.get(recipient=owner_a)
    assert notice.kind == "application.released"
    assert AuditRecord.objects.filter(action="application.released", target_id=str(application.pk)).exists()


def test_decided_applications_and_other_bankers_work_stay_as_they_are(
    owner_a: Any, banker_x: Any, banker_y: Any, staff: Any
) -> None:
    declined = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.DECLINED)
    other = ApplicationFactory(owner=owner_a, banker=banker_y, status=Status.SUBMITTED)
    revoke(banker_x, staff)
    statuses = dict(LoanApplication.objects.values_list("pk", "status"))
    assert statuses == {declined.pk: Status.DECLINED, other.pk: Status.SUBMITTED}
    assert not ApplicationEvent.objects.exists()


def test_an_open_offer_of_the_banker_is_closed_and_the_application_returns_to_drafts(
    owner_a: Any, banker_x: Any, staff: Any
) -> None:
    approved = ApplicationFactory(
        owner=owner_a,
        banker=banker_x,
        status=Status.APPROVED,
        approved_amount="1000",
        interest_rate="5",
        approved_term_months=12,
    )
    revoke(banker_x, staff)
    approved.refresh_from_db()
    assert (approved.status, approved.banker_id) == (Status.DRAFT, None)
    track = approved.tracks.get()
    assert (track.status, track.released_at is not None) == ("withdrawn", True)
    assert track.offers.get().status == "withdrawn"
    event = ApplicationEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor_id) == (Status.APPROVED, Status.DRAFT, None)


def test_with_several_bankers_only_the_revoked_bankers_track_closes(
    api_as: Any, owner_a: Any, banker_x: Any, banker_y: Any, staff: Any
) -> None:
    draft = DraftFactory(owner=owner_a)
    services.application_submit(actor=owner_a, application_id=draft.pk, banker_ids=[banker_x.pk, banker_y.pk])
    revoke(banker_x, staff)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    statuses = dict(draft.tracks.values_list("banker_id", "status"))
    assert statuses == {banker_x.pk: "withdrawn", banker_y.pk: "submitted"}
    notice = Notification.objects.get(recipient=owner_a)
    assert notice.kind == "application.released"
    assert api_as(banker_x).get(f"/api/v1/applications/{draft.pk}/").status_code == 404
    seen_by_y = api_as(banker_y).get(f"/api/v1/applications/{draft.pk}/events/").json()
    assert [e["to_status"] for e in seen_by_y] == ["submitted"]  # never banker X's release
    owner_view = api_as(owner_a).get(f"/api/v1/applications/{draft.pk}/").json()
    assert [t["banker"]["id"] for t in owner_view["tracks"]] == [banker_y.pk]


def test_setting_a_pending_banker_to_rejected_releases_nothing(
    owner_a: Any, pending_banker: Any, staff: Any
) -> None:
    ApplicationFactory(owner=owner_a, banker=pending_banker, status=Status.SUBMITTED)  # written directly
    revoke(pending_banker, staff)
    assert LoanApplication.objects.get().status == Status.SUBMITTED


def test_owner_can_resubmit_a_released_application_to_another_banker(
    owner_a: Any, banker_x: Any, banker_y: Any, staff: Any
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    revoke(banker_x, staff)
    services.application_submit(actor=owner_a, application_id=application.pk, banker_id=banker_y.pk)
    application.refresh_from_db()
    assert (application.status, application.banker_id) == (Status.SUBMITTED, banker_y.pk)


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("application_start_review", {}),
        ("application_decline", {"reason": "No"}),
    ],
)
def test_unverified_banker_cannot_act_even_on_an_application_still_sent_to_them(
    owner_a: Any, banker_x: Any, action: str, kwargs: dict[str, Any]
) -> None:
    # Written behind the services' back (as a shell or a bulk update would):
    # the service itself must still refuse.
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    BankerProfile.objects.filter(user=banker_x).update(verification_status=VerificationStatus.PENDING)
    with pytest.raises(Forbidden) as refused:
        getattr(services, action)(actor=banker_x, application_id=application.pk, **kwargs)
    assert refused.value.code == "banker_not_verified"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not ApplicationEvent.objects.exists()


@pytest.mark.parametrize("action", ["start-review", "approve"])
def test_api_refuses_an_unverified_bankers_action_with_403(
    api_as: Any, owner_a: Any, banker_x: Any, action: str
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    BankerProfile.objects.filter(user=banker_x).update(verification_status=VerificationStatus.REJECTED)
    body = (
        {"approved_amount": "1000.00", "interest_rate": "5.000", "term_months": 12}
        if action == "approve"
        else {}
    )
    response = api_as(banker_x).post(f"/api/v1/applications/{application.pk}/{action}/", body, format="json")
    assert response.status_code in (403, 404)
    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "banker_not_verified"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_revoking_through_the_staff_api_releases_and_the_banker_loses_the_application(
    api_as: Any, owner_a: Any, banker_x: Any, staff: Any
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    response = api_as(staff).post(
        reverse("api:banker-verify", args=[banker_x.pk]), {"status": "rejected"}, format="json"
    )
    assert response.status_code == 200
    assert api_as(banker_x).get(f"/api/v1/applications/{application.pk}/").status_code == 404
    owner_view = api_as(owner_a).get(f"/api/v1/applications/{application.pk}/").json()
    assert owner_view["status"] == "draft"
    events = api_as(owner_a).get(f"/api/v1/applications/{application.pk}/events/").json()
    assert [(e["actor"], e["actor_name"], e["to_status"]) for e in events] == [(None, "b2bbank", "draft")]
