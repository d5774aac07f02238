"""A job that failed for good is visible in Django admin and retried from there."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications import services
from notifications.tests.test_email_jobs import BuggyBackend
from tests.jobs import SEND_EMAIL, jobs, run_jobs

pytestmark = pytest.mark.usefixtures("clean_queue")


def _failed_email_job(owner: Any, settings: Any) -> Any:
    settings.EMAIL_BACKEND = f"{BuggyBackend.__module__}.BuggyBackend"
    services.notification_create(recipient=owner, kind="k", title="Approved")
    run_jobs()
    (job,) = jobs(SEND_EMAIL)
    assert job.status == "failed"
    return job


def test_a_failed_job_is_listed_in_admin_and_retried_by_the_admin_action(
    owner_a: Any, staff: Any, settings: Any
) -> None:
    job = _failed_email_job(owner_a, settings)
    client = Client()
    client.force_login(staff)
    changelist = reverse("admin:procrastinate_procrastinatejob_changelist")
    listing = client.get(changelist, {"status__exact": "failed"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [job]
    detail = client.get(reverse("admin:procrastinate_procrastinatejob_change", args=[job.pk]))
    assert "notification_id" in detail.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the bug is fixed
    response = client.post(changelist, {"action": "retry", "_selected_action": [job.pk]})
    assert response.status_code == 302
    assert jobs(SEND_EMAIL)[0].status == "todo"
    run_jobs()
    assert [m.to for m in mail.outbox] == [[owner_a.email]]
    assert jobs(SEND_EMAIL)[0].status == "succeeded"


def test_the_queue_is_hidden_from_everyone_but_staff(owner_a: Any, banker_x: Any) -> None:
    client = Client()
    client.force_login(owner_a)
    response = client.get(reverse("admin:procrastinate_procrastinatejob_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
