"""The documents figures on the dashboards."""

from __future__ import annotations

from typing import Any

import pytest

from documents.models import DocumentStatus, RequestStatus
from documents.selectors import documents_to_review_count, requests_open_for_owner
from documents.tests.factories import DocumentFactory, DocumentRequestFactory
from loans.models import Status
from loans.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_documents_to_review_counts_received_ones_on_the_bankers_own_applications(
    owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    mine = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    theirs = ApplicationFactory(owner=owner_a, banker=banker_y, status=Status.IN_REVIEW)
    DocumentFactory(application=mine)
    DocumentFactory(application=mine, status=DocumentStatus.ACCEPTED)
    DocumentFactory(application=theirs)
    assert documents_to_review_count(banker=banker_x) == 1
    assert documents_to_review_count(banker=banker_y) == 1


def test_open_requests_for_owner_skip_answered_ones_closed_applications_and_other_owners(
    owner_a: Any, owner_b: Any, banker_x: Any
) -> None:
    live = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.IN_REVIEW)
    closed = ApplicationFactory(owner=owner_a, banker=banker_x, status=Status.DECLINED)
    wanted = DocumentRequestFactory(application=live)
    DocumentRequestFactory(application=live, status=RequestStatus.FULFILLED)
    DocumentRequestFactory(application=closed)
    DocumentRequestFactory(application=ApplicationFactory(owner=owner_b, banker=banker_x))
    assert requests_open_for_owner(owner=owner_a) == [wanted]
