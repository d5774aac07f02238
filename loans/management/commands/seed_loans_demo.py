"""Demo applications for `make run`, made through the services so each has a
real timeline: the demo owner's approved, info-requested and draft applications
with the demo banker. Runs after accounts' seed_demo; safe to run again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.choices import Product
from accounts.management.commands.seed_demo import BANKER_EMAIL, OWNER_EMAIL
from accounts.models import User
from loans import services
from loans.models import LoanApplication


class Command(BaseCommand):
    help = "Create demo loan applications for the demo owner and banker (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        owner = User.objects.filter(email=OWNER_EMAIL).first()
        banker = User.objects.filter(email=BANKER_EMAIL).first()
        if owner is None or banker is None:
            raise CommandError("Run `manage.py seed_demo` first.")
        if LoanApplication.objects.filter(owner=owner).exists():
            self.stdout.write("Demo applications already exist.")
            return

        def new(product: str, amount: str, months: int, purpose: str) -> int:
            application = services.application_create(
                owner=owner,
                product=product,
                amount=Decimal(amount),
                term_months=months,
                purpose=purpose,
                banker_id=banker.pk,
            )
            return application.pk

        approved = new(
            Product.EQUIPMENT_FINANCING, "420000", 60, "A 5-axis CNC machining centre for aerospace parts."
        )
        services.application_submit(actor=owner, application_id=approved)
        services.application_start_review(actor=banker, application_id=approved)
        services.application_approve(
            actor=banker,
            application_id=approved,
            approved_amount=Decimal("400000"),
            interest_rate=Decimal("6.875"),
            term_months=60,
            conditions="The machine is the collateral; insurance naming the bank as loss payee.",
            note="Approved at a slightly lower amount after the appraisal.",
        )
        asked = new(Product.LINE_OF_CREDIT, "150000", 12, "Working capital for a large seasonal order.")
        services.application_submit(actor=owner, application_id=asked)
        services.application_start_review(actor=banker, application_id=asked)
        services.application_request_info(
            actor=banker, application_id=asked, note="Could you share your accounts receivable aging report?"
        )
        new(Product.TERM_LOAN, "90000", 36, "Roof repairs and solar panels on the workshop.")
        self.stdout.write(self.style.SUCCESS("Demo applications ready (approved, info requested, draft)."))
