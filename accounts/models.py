"""Users, their role-specific profiles, and API tokens."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from b2bbank.constraints import PlainConstraintErrors

from .choices import Availability, Industry, Product, Role, VerificationStatus
from .money import money_field
from .time_zones import DEFAULT as DEFAULT_ZONE
from .time_zones import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def _create(self, email: str, password: str | None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively, so they are stored lower-cased."""
    return email.strip().lower()


class User(PlainConstraintErrors, AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email. Business owners and bankers have a
    `role` and a matching profile; staff (admins) have no role."""

    constraint_errors: ClassVar = {"user_role_valid": ("role", "Choose one of the listed options.")}

    email = models.EmailField(max_length=254, unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    # Every time this user sees is shown in this zone (accounts.time_zones). The
    # database default serves rows written outside Django (bulk loaders, raw SQL).
    time_zone = models.CharField(
        max_length=64, default=DEFAULT_ZONE, db_default=DEFAULT_ZONE, validators=[validate_time_zone]
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(role__in=["", *Role.values]), name="user_role_valid"),
        ]
        indexes = [
            # Tiny (only deactivated users): directory search anti-joins against it.
            models.Index(fields=["id"], name="user_deactivated", condition=models.Q(is_active=False)),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_business_owner(self) -> bool:
        return self.role == Role.BUSINESS_OWNER

    @property
    def is_banker(self) -> bool:
        return self.role == Role.BANKER


# What an owner or banker may set on their own profile, in display order. Forms,
# serializers and services all read these, so a new field is opened in one place.
USER_PROFILE_FIELDS = ("first_name", "last_name", "time_zone")
OWNER_PROFILE_FIELDS = (
    "company_name",
    "industry",
    "years_in_business",
    "annual_revenue",
    "employees",
    "city",
    "region",
    "country",
    "phone",
    "website",
)
BANKER_PROFILE_FIELDS = (
    "institution",
    "job_title",
    "bio",
    "city",
    "region",
    "country",
    "products",
    "industries",
    "min_loan_amount",
    "max_loan_amount",
    "availability",
    "accepting_new_clients",
)


class BusinessOwnerProfile(PlainConstraintErrors, models.Model):
    """The company behind a business-owner account; bankers see it on applications."""

    constraint_errors: ClassVar = {
        "owner_industry_valid": ("industry", "Choose one of the listed options."),
        "owner_revenue_not_negative": (
            "annual_revenue",
            "Revenue can't be negative; leave it empty if you'd rather not say.",
        ),
        "owner_years_sane": ("years_in_business", "Years in business must be 300 or fewer."),
    }

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="owner_profile"
    )
    company_name = models.CharField(max_length=200)
    industry = models.CharField(max_length=32, choices=Industry.choices)
    years_in_business = models.PositiveSmallIntegerField(default=0)
    annual_revenue = money_field(null=True, blank=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="US")
    phone = models.CharField(max_length=32, blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(industry__in=Industry.values), name="owner_industry_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(annual_revenue__isnull=True) | models.Q(annual_revenue__gte=0),
                name="owner_revenue_not_negative",
            ),
            models.CheckConstraint(condition=models.Q(years_in_business__lte=300), name="owner_years_sane"),
        ]

    def __str__(self) -> str:
        return self.company_name


class BankerProfile(PlainConstraintErrors, models.Model):
    """What a banker offers. Only `verified` bankers are listed, can be applied to
    and can be messaged; admins set the verification status."""

    constraint_errors: ClassVar = {
        "banker_min_amount_positive": ("min_loan_amount", "The minimum loan amount must be more than zero."),
        "banker_min_not_above_max": (
            "max_loan_amount",
            "The maximum loan amount can't be below the minimum.",
        ),
        "banker_products_valid": ("products", "Choose products from the list."),
        "banker_industries_valid": ("industries", "Choose industries from the list."),
        "banker_availability_valid": ("availability", "Choose one of the listed options."),
        "banker_verification_valid": ("verification_status", "Choose one of the listed options."),
    }

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="banker_profile"
    )
    # The user's full name, copied here by the accounts services (the profile page shows it).
    display_name = models.CharField(max_length=301, blank=True, editable=False)
    institution = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=4000, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="US")
    products = ArrayField(models.CharField(max_length=32, choices=Product.choices), default=list)
    industries = ArrayField(
        models.CharField(max_length=32, choices=Industry.choices), default=list, blank=True
    )
    min_loan_amount = money_field()
    max_loan_amount = money_field(null=True, blank=True)
    availability = models.CharField(
        max_length=16, choices=Availability.choices, default=Availability.AVAILABLE
    )
    accepting_new_clients = models.BooleanField(default=True)
    verification_status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_loan_amount__gt=0), name="banker_min_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_loan_amount__isnull=True)
                | models.Q(max_loan_amount__gte=models.F("min_loan_amount")),
                name="banker_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=models.Q(products__contained_by=Product.values),
                name="banker_products_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(industries__contained_by=Industry.values),
                name="banker_industries_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(availability__in=Availability.values),
                name="banker_availability_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(verification_status__in=VerificationStatus.values),
                name="banker_verification_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.institution})"

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def product_labels(self) -> list[str]:
        return [Product(p).label for p in self.products]

    @property
    def industry_labels(self) -> list[str]:
        return [Industry(i).label for i in self.industries]


class TermsConsent(models.Model):
    """Which versions of the terms of use and the privacy notice a user accepted,
    and when (recorded at sign-up; a new version asks again). Rows are never edited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    terms_version = models.CharField(max_length=20)
    privacy_version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-accepted_at"], name="consent_user_latest")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted terms {self.terms_version} / privacy {self.privacy_version}"


class BankerEvidence(models.Model):
    """What a banker sends to be verified: their lender id (e.g. an NMLS number),
    their work email at the institution, a note; and the last decision's reason.
    The status itself is BankerProfile.verification_status; every decision is
    an audit row (accounts.banker_verification)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="banker_evidence"
    )
    lender_id = models.CharField("Lender ID (e.g. NMLS number)", max_length=32)
    work_email = models.EmailField("Work email at your institution", max_length=254)
    note = models.TextField("Anything our team should know", max_length=2000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    decision_reason = models.TextField(max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"evidence of {self.user_id}"
