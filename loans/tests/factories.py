"""factory_boy factories for applications. They write rows directly (any
status) for tests that need a starting state; tests of transitions use services."""

from __future__ import annotations

from decimal import Decimal

import factory

from accounts.choices import Product
from accounts.tests.factories import BankerFactory, OwnerFactory
from loans.models import LoanApplication, Status


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanApplication

    owner = factory.SubFactory(OwnerFactory)
    banker = factory.SubFactory(BankerFactory)
    product = Product.TERM_LOAN
    amount = Decimal("250000.00")
    term_months = 36
    purpose = "A second CNC line for a new contract."
    status = Status.SUBMITTED


class DraftFactory(ApplicationFactory):
    status = Status.DRAFT
    banker = None
