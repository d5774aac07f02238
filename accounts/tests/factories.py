"""factory_boy factories for users and profiles."""

from __future__ import annotations

from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from accounts.choices import Availability, Industry, Product, Role, VerificationStatus
from accounts.models import BankerProfile, BusinessOwnerProfile, User

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create:
            instance.save()

    @factory.post_generation
    def email_verified(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """Users confirmed their address unless `email_verified=False` is passed."""
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


class OwnerFactory(UserFactory):
    role = Role.BUSINESS_OWNER
    profile = factory.RelatedFactory(
        "accounts.tests.factories.OwnerProfileFactory", factory_related_name="user"
    )


class OwnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessOwnerProfile

    user = factory.SubFactory(UserFactory, role=Role.BUSINESS_OWNER)
    company_name = factory.Faker("company")
    industry = Industry.MANUFACTURING
    years_in_business = 5
    annual_revenue = Decimal("1500000.00")
    employees = 20
    city = "Oakland"
    region = "CA"


class BankerFactory(UserFactory):
    role = Role.BANKER
    profile = factory.RelatedFactory(
        "accounts.tests.factories.BankerProfileFactory", factory_related_name="user"
    )


class BankerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankerProfile

    user = factory.SubFactory(UserFactory, role=Role.BANKER)
    display_name = factory.LazyAttribute(lambda o: o.user.get_full_name())
    institution = "First Harbor Bank"
    job_title = "Commercial Lending Officer"
    bio = "Equipment and working-capital loans for manufacturers."
    city = "San Francisco"
    region = "CA"
    products = factory.LazyFunction(lambda: [Product.TERM_LOAN, Product.EQUIPMENT_FINANCING])
    industries = factory.LazyFunction(lambda: [Industry.MANUFACTURING])
    min_loan_amount = Decimal("50000.00")
    max_loan_amount = Decimal("2000000.00")
    availability = Availability.AVAILABLE
    accepting_new_clients = True
    verification_status = VerificationStatus.VERIFIED


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
