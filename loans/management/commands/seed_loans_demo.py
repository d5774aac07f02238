"""Demo applications for `make run`, made through the services so each has a
real timeline: the demo owner's application with an open offer, one with a
question from the banker, a draft, and one sent to two bankers whose offers
wait to be compared. Runs after accounts' seed_demo; safe to run again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services as account_services
from accounts.choices import Industry, Product, VerificationStatus
from accounts.management.commands.seed_demo import BANKER_EMAIL, DEMO_PASSWORD, OWNER_EMAIL
from accounts.models import User
from loans import services
from loans.models import LoanApplication

SECOND_BANKER_EMAIL = "offers-banker@demo.b2bbank.local"


def second_banker() -> User:
    """A verified banker who lends what the comparison demo asks for."""
    existing = User.objects.filter(email=SECOND_BANKER_EMAIL).first()
    if existing is not None:
        return existing
    user = account_services.banker_signup(
        welcome=False,
        email=SECOND_BANKER_EMAIL,
        password=DEMO_PASSWORD,
        first_name="Rosa",
        last_name="Delgado",
        profile={
            "institution": "Pacific Crest Commercial Bank",
            "job_title": "Senior Relationship Manager",
            "region": "CA",
            "products": list(Product.values),
            "industries": [Industry.MANUFACTURING],
            "min_loan_amount": Decimal("25000"),
            "max_loan_amount": Decimal("5000000"),
        },
    )
    assert user is not None  # noqa: S101 - the address was free above
    account_services.banker_set_verification(banker_id=user.pk, status=VerificationStatus.VERIFIED)
    return user


class Command(BaseCommand):
    help = "Create demo loan applications for the demo owner and bankers (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        owner = User.objects.filter(email=OWNER_EMAIL).first()
        banker = User.objects.filter(email=BANKER_EMAIL).first()
        if owner is None or banker is None:
            raise CommandError("Run `manage.py seed_demo` first.")
        if LoanApplication.objects.filter(owner=owner).exists():
            self.stdout.write("Demo applications already exist.")
            return
        other = second_banker()

        def new(product: str, amount: str, months: int, purpose: str, banker_id: int | None = None) -> int:
            application = services.application_create(
                owner=owner,
                product=product,
                amount=Decimal(amount),
                term_months=months,
                purpose=purpose,
                banker_id=banker_id,
            )
            return application.pk

        approved = new(
            Product.EQUIPMENT_FINANCING,
            "420000",
            60,
            "A 5-axis CNC machining centre for aerospace parts.",
            banker.pk,
        )
        services.application_submit(actor=owner, application_id=approved)
        services.application_start_review(actor=banker, application_id=approved)
        services.application_approve(
            actor=banker,
            application_id=approved,
            approved_amount=Decimal("400000"),
            interest_rate=Decimal("6.875"),
            term_months=60,
            origination_fee=Decimal("2000"),
            conditions="The machine is the collateral; insurance naming the bank as loss payee.",
            note="Approved at a slightly lower amount after the appraisal.",
        )
        asked = new(
            Product.LINE_OF_CREDIT, "150000", 12, "Working capital for a large seasonal order.", banker.pk
        )
        services.application_submit(actor=owner, application_id=asked)
        services.application_start_review(actor=banker, application_id=asked)
        services.application_request_info(
            actor=banker, application_id=asked, note="Could you share your accounts receivable aging report?"
        )
        new(Product.TERM_LOAN, "90000", 36, "Roof repairs and solar panels on the workshop.", banker.pk)
        compare = new(Product.TERM_LOAN, "250000", 60, "A second warehouse and two forklifts.")
        services.application_submit(actor=owner, application_id=compare, banker_ids=[banker.pk, other.pk])
        for who, rate, fee in ((banker, "7.400", "0"), (other, "6.950", "3750")):
            services.application_start_review(actor=who, application_id=compare)
            services.application_approve(
                actor=who,
                application_id=compare,
                approved_amount=Decimal("250000"),
                interest_rate=Decimal(rate),
                term_months=60,
                origination_fee=Decimal(fee),
                conditions="Personal guarantee from the majority shareholder.",
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo applications ready (open offer, info requested, draft, two offers to compare)."
            )
        )
