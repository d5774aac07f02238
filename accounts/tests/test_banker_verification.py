"""Banker verification as a workflow: evidence, what is checked, a preview of
the listing, Verify and Reject (with a reason) on the admin page, the banker
told, every decision audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.banker_verification import banker_evidence_submit
from accounts.choices import VerificationStatus
from accounts.models import BankerEvidence, BankerProfile, User
from audit.models import AuditRecord
from b2bbank.domain_errors import NotEligible
from notifications.models import Notification
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "lender_id": "1234567",
    "work_email": "pat@harborbank.com",
    "note": "Commercial team, Oakland branch.",
}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pending_dashboard_shows_the_checks_the_status_and_a_listing_preview(pending_banker: User) -> None:
    page = _client(pending_banker).get(reverse("accounts:banker-home")).content.decode()
    assert "Evidence sent" in page
    assert "Lender ID" in page
    assert "Work email at your institution" in page
    assert "Pending" in page
    assert "preview: not listed yet" in page
    assert pending_banker.banker_profile.institution in page
    assert reverse("accounts:banker-verification") in page


def test_banker_sends_evidence_and_it_is_audited(pending_banker: User) -> None:
    response = _client(pending_banker).post(reverse("accounts:banker-verification"), EVIDENCE, follow=True)
    assert "your evidence is with our team" in response.content.decode()
    evidence = BankerEvidence.objects.get(user=pending_banker)
    assert (evidence.lender_id, evidence.work_email) == ("1234567", "pat@harborbank.com")
    assert AuditRecord.objects.filter(action="banker.evidence_submitted", actor_id=pending_banker.pk).exists()


def test_a_personal_mailbox_fails_the_work_email_check(pending_banker: User) -> None:
    banker_evidence_submit(user=pending_banker, lender_id="1234567", work_email="pat@gmail.com")
    page = _client(pending_banker).get(reverse("accounts:banker-verification")).content.decode()
    assert "A personal mailbox cannot show where you work" in page


def test_a_verified_banker_cannot_resend_evidence(banker_x: User) -> None:
    with pytest.raises(NotEligible):
        banker_evidence_submit(user=banker_x, **EVIDENCE)
    assert not BankerEvidence.objects.exists()


def test_staff_verify_button_verifies_tells_the_banker_and_audits(
    pending_banker: User, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    banker_evidence_submit(user=pending_banker, **EVIDENCE)
    change = reverse("admin:accounts_bankerprofile_change", args=[pending_banker.pk])
    page = _client(staff).get(change).content.decode()
    assert "Verify" in page
    assert "Reject" in page
    assert "1234567" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(staff).post(reverse("admin:banker-verify-now", args=[pending_banker.pk]))
    assert response.status_code == 302
    assert BankerProfile.objects.get(user=pending_banker).verification_status == VerificationStatus.VERIFIED
    assert Notification.objects.filter(recipient=pending_banker, kind="banker.verification").count() == 1
    send_queued_emails()
    assert [m.subject for m in mail.outbox if m.to == [pending_banker.email]] == [
        "Your banker profile is verified"
    ]
    record = AuditRecord.objects.filter(action="banker.verification", target_id=str(pending_banker.pk)).get()
    assert record.after["verification_status"] == VerificationStatus.VERIFIED


def test_reject_needs_a_reason_which_the_banker_reads(
    pending_banker: User, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    banker_evidence_submit(user=pending_banker, **EVIDENCE)
    reject = reverse("admin:banker-reject-now", args=[pending_banker.pk])
    empty = _client(staff).post(reject, {"reason": ""})
    assert empty.status_code == 400
    assert BankerProfile.objects.get(user=pending_banker).verification_status == VerificationStatus.PENDING
    reason = "The NMLS number belongs to another person."
    with django_capture_on_commit_callbacks(execute=True):
        assert _client(staff).post(reject, {"reason": reason}).status_code == 302
    assert BankerProfile.objects.get(user=pending_banker).verification_status == VerificationStatus.REJECTED
    assert BankerEvidence.objects.get(user=pending_banker).decision_reason == reason
    assert reason in Notification.objects.get(recipient=pending_banker, kind="banker.verification").body
    record = AuditRecord.objects.get(action="banker.verification", target_id=str(pending_banker.pk))
    assert record.after == {"verification_status": "rejected", "reason": reason}
    page = _client(pending_banker).get(reverse("accounts:banker-home")).content.decode()
    assert reason in page


def test_a_rejected_banker_who_resends_evidence_is_pending_again(pending_banker: User, staff: User) -> None:
    from accounts.services import banker_set_verification

    banker_set_verification(
        banker_id=pending_banker.pk, status=VerificationStatus.REJECTED, actor=staff, reason="Unreadable id."
    )
    banker_evidence_submit(user=pending_banker, **EVIDENCE)
    assert BankerProfile.objects.get(user=pending_banker).verification_status == VerificationStatus.PENDING


@pytest.mark.parametrize("name", ["admin:banker-verify-now", "admin:banker-reject-now"])
def test_only_staff_reach_the_decision_buttons(name: str, pending_banker: User, owner_a: User) -> None:
    for client in (Client(), _client(owner_a), _client(pending_banker)):
        response = client.post(reverse(name, args=[pending_banker.pk]), {"reason": "x"})
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert BankerProfile.objects.get(user=pending_banker).verification_status == VerificationStatus.PENDING
