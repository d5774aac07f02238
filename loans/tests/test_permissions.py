from __future__ import annotations

from typing import Any

import pytest

from loans import selectors
from loans.models import ApplicationTrack, LoanApplication, Status, TrackStatus
from loans.permissions import can_edit_application, can_view_application, can_view_track
from loans.tests.factories import ApplicationFactory, DraftFactory
from loans.transitions import Action, open_actions

pytestmark = pytest.mark.django_db


def test_view_rules(owner_a: Any, owner_b: Any, banker_x: Any, banker_y: Any, staff: Any) -> None:
    sent = ApplicationFactory(owner=owner_a, banker=banker_x)
    draft = DraftFactory(owner=owner_a, banker=banker_x)
    assert can_view_application(owner_a, sent)
    assert can_view_application(banker_x, sent)
    assert not can_view_application(owner_b, sent)
    assert not can_view_application(banker_y, sent)
    assert not can_view_application(staff, sent)
    assert not can_view_application(banker_x, draft)  # preselected but not sent
    assert can_edit_application(owner_a, draft)
    assert not can_edit_application(owner_a, sent)


def actions_for(user: Any, application: Any) -> list[Action]:
    application = selectors.application_for(user=user, application_id=application.pk)
    tracks = selectors.tracks_for_viewer(user, application)
    return open_actions(user, selectors.viewer_status(user, application), tracks)


def test_open_actions_follow_the_machine(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    assert actions_for(owner_a, application) == [Action.WITHDRAW]
    assert actions_for(banker_x, application) == [Action.REQUEST_INFO, Action.APPROVE, Action.DECLINE]
    application.tracks.update(status=TrackStatus.INFO_REQUESTED)
    LoanApplication.objects.filter(pk=application.pk).update(status=Status.INFO_REQUESTED)
    assert actions_for(owner_a, application) == [Action.RESPOND, Action.WITHDRAW]
    offered = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.APPROVED)
    assert actions_for(owner_a, offered) == [Action.OFFER_ACCEPT, Action.OFFER_DECLINE]
    assert actions_for(banker_x, offered) == [Action.OFFER_WITHDRAW]
    accepted = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.ACCEPTED)
    assert actions_for(owner_a, accepted) == []
    assert actions_for(banker_x, accepted) == []


def test_a_banker_sees_only_their_own_track(owner_a: Any, banker_x: Any, banker_y: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    ApplicationTrack.objects.create(application=application, banker=banker_y, status=TrackStatus.SUBMITTED)
    owner_tracks = selectors.tracks_for_viewer(
        owner_a, selectors.application_for(user=owner_a, application_id=application.pk)
    )
    x_tracks = selectors.tracks_for_viewer(
        banker_x, selectors.application_for(user=banker_x, application_id=application.pk)
    )
    assert [t.banker_id for t in owner_tracks] == [banker_x.pk, banker_y.pk]
    assert [t.banker_id for t in x_tracks] == [banker_x.pk]
    assert can_view_track(owner_a, owner_tracks[1])
    assert not can_view_track(banker_x, owner_tracks[1])
