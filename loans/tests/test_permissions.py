from __future__ import annotations

from typing import Any

import pytest

from loans.models import Status
from loans.permissions import can_edit_application, can_view_application
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


def test_open_actions_follow_the_machine(owner_a: Any, banker_x: Any) -> None:
    application = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    assert open_actions(owner_a, application) == [Action.WITHDRAW]
    assert open_actions(banker_x, application) == [Action.REQUEST_INFO, Action.APPROVE, Action.DECLINE]
    application.status = Status.INFO_REQUESTED
    assert open_actions(owner_a, application) == [Action.RESPOND, Action.WITHDRAW]
    application.status = Status.APPROVED
    assert open_actions(owner_a, application) == []
    assert open_actions(banker_x, application) == []
