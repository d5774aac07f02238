"""The realtime hook end to end through the channel layer: after commit, the
other party's group gets one `application.status` frame; nothing on rollback."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from b2bbank.domain_errors import InvalidTransition
from b2bbank.frames import check_frame
from b2bbank.realtime import user_group
from loans import services
from loans.models import Status
from loans.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def listen(user: Any) -> tuple[Any, str]:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(user.pk), channel)
    return layer, channel


def test_owner_socket_gets_the_status_frame_after_commit(
    owner_a: Any, banker_x: Any, django_capture_on_commit_callbacks: Any
) -> None:
    layer, channel = listen(owner_a)
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_start_review(actor=banker_x, application_id=application.pk, note="On it")
    message = async_to_sync(layer.receive)(channel)
    frame = message["event"]
    assert message["type"] == "realtime.event"
    assert frame["type"] == "application.status"
    check_frame(frame)  # its schema: loans/events.py
    assert (frame["application"], frame["status"]) == (application.pk, "in_review")
    assert frame["event"]["actor"] == banker_x.pk
    assert (frame["event"]["from_status"], frame["event"]["to_status"], frame["event"]["note"]) == (
        "submitted",
        "in_review",
        "On it",
    )


def test_refused_action_publishes_nothing(
    owner_a: Any, banker_x: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(InvalidTransition):
        services.application_start_review(actor=banker_x, application_id=application.pk)
    assert callbacks == []
