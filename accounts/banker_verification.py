"""Banker verification as a workflow: the pending banker sends evidence, sees
what is checked and a preview of their listing; staff decide in admin
(accounts.admin, accounts.services.banker_set_verification)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from audit.services import audit_log
from b2bbank.domain_errors import Forbidden, NotEligible

from .choices import VerificationStatus
from .models import BankerEvidence, BankerProfile, User, normalize_email

# Personal mailboxes say nothing about where someone works.
PERSONAL_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
        "yandex.com",
    }
)
# NMLS ids are numbers of up to 12 digits; other registries' ids are letters and digits.
LENDER_ID = re.compile(r"^[A-Za-z0-9-]{3,32}$")


@dataclass(frozen=True)
class Check:
    """One thing the team checks; `passed` None means a person checks it."""

    label: str
    passed: bool | None
    detail: str


def evidence_checks(profile: BankerProfile, evidence: BankerEvidence | None) -> list[Check]:
    """What is checked before a banker is listed, as the banker sees it."""
    domain = evidence.work_email.rsplit("@", 1)[-1] if evidence else ""
    complete = bool(profile.products and profile.min_loan_amount and (profile.city or profile.region))
    return [
        Check(
            "Evidence sent",
            evidence is not None,
            "Your lender ID, work email and a note."
            if evidence is None
            else f"Sent {evidence.submitted_at:%b %d, %Y}.",
        ),
        Check(
            "Lender ID",
            bool(evidence and LENDER_ID.match(evidence.lender_id)),
            "Our team looks it up in the NMLS Consumer Access registry (or your regulator's).",
        ),
        Check(
            "Work email at your institution",
            bool(domain) and domain not in PERSONAL_MAIL,
            f"{domain or 'No address yet'}: our team compares the domain with {profile.institution}'s website."
            if domain not in PERSONAL_MAIL
            else "A personal mailbox cannot show where you work; use your institution's address.",
        ),
        Check("Profile complete", complete, "Products, loan amounts and where you lend."),
        Check("Reviewed by our team", None, "Usually within one business day of your evidence."),
    ]


@transaction.atomic
def banker_evidence_submit(*, user: User, lender_id: str, work_email: str, note: str = "") -> BankerEvidence:
    """A pending or rejected banker sends (or corrects) their evidence; a
    rejected banker goes back to pending for a new review. Audited."""
    if not user.is_banker:
        raise Forbidden("Only bankers send verification evidence.")
    profile = BankerProfile.objects.select_for_update().get(user=user)
    if profile.verification_status == VerificationStatus.VERIFIED:
        raise NotEligible("Your profile is already verified.", code="already_verified")
    evidence, _ = BankerEvidence.objects.update_or_create(
        user=user,
        defaults={
            "lender_id": lender_id.strip(),
            "work_email": normalize_email(work_email),
            "note": note.strip(),
            "decision_reason": "",
        },
    )
    evidence.full_clean()
    before = profile.verification_status
    if before == VerificationStatus.REJECTED:
        profile.verification_status = VerificationStatus.PENDING
        profile.save(update_fields=["verification_status", "updated_at"])
    audit_log(
        action="banker.evidence_submitted",
        actor=user,
        target=profile,
        before={"verification_status": before},
        after={"verification_status": profile.verification_status, "lender_id": evidence.lender_id},
    )
    return evidence
