"""Demo data for `make run`: one business owner, a few dozen verified bankers,
one pending banker and an admin. Safe to run again: it never duplicates."""

from __future__ import annotations

import os
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import services
from accounts.choices import Availability, Industry, Product, VerificationStatus
from accounts.models import User

DEMO_PASSWORD = "demo-pass-2024!"  # noqa: S105 - printed for the demo on purpose
OWNER_EMAIL = "owner@demo.b2bbank.local"
BANKER_EMAIL = "banker@demo.b2bbank.local"
PENDING_EMAIL = "pending.banker@demo.b2bbank.local"
ADMIN_EMAIL = "admin@demo.b2bbank.local"

# 40 first and 40 last names, paired so no two bankers share a full name
# (banker_name); the 16 x 16 lists gave four "Ava Alvarez" at different banks.
FIRST = [
    "Ava",
    "Ben",
    "Carla",
    "Devan",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Isla",
    "Jamal",
    "Kofi",
    "Lena",
    "Marco",
    "Nina",
    "Omar",
    "Priya",
    "Quentin",
    "Rachel",
    "Samir",
    "Tessa",
    "Umar",
    "Valeria",
    "Wes",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Adrian",
    "Bianca",
    "Caleb",
    "Daria",
    "Emeka",
    "Fiona",
    "Gabriel",
    "Hana",
    "Ivan",
    "Julia",
    "Karim",
    "Leah",
    "Mateo",
    "Noor",
]
LAST = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Johnson",
    "Kim",
    "Lopez",
    "Miller",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Singh",
    "Thompson",
    "Usman",
    "Vargas",
    "Walsh",
    "Xu",
    "Yamada",
    "Zimmerman",
    "Abbott",
    "Bergstrom",
    "Castillo",
    "Douglas",
    "Eriksen",
    "Flores",
    "Gallagher",
    "Haddad",
    "Iyer",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Novak",
]
BANKS = [
    "First Harbor Bank",
    "Summit Commercial",
    "Redwood Credit Union",
    "Lakeside Capital",
    "Prairie National",
    "Atlas Business Bank",
    "Bayview Trust",
]
TITLES = [
    "Commercial Lending Officer",
    "SBA Loan Specialist",
    "Relationship Manager",
    "VP, Business Banking",
    "Equipment Finance Manager",
]
PLACES = [
    ("San Francisco", "CA"),
    ("Los Angeles", "CA"),
    ("Austin", "TX"),
    ("Dallas", "TX"),
    ("New York", "NY"),
    ("Chicago", "IL"),
    ("Miami", "FL"),
    ("Seattle", "WA"),
    ("Denver", "CO"),
    ("Boston", "MA"),
]
MINIMUMS = [Decimal(v) for v in ("10000", "25000", "50000", "100000", "250000", "500000")]


def banker_name(index: int) -> tuple[str, str]:
    """A distinct (first, last) for every index below 1,600: the first name walks
    the list, the last name a coprime stride of it, shifted each full round."""
    size = len(FIRST)
    return FIRST[index % size], LAST[(index * 7 + index // size) % size]


class Command(BaseCommand):
    help = "Create demo users (idempotent) and print their logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bankers", type=int, default=36)
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT", "8000"),
            help="The port `make run` serves on, for the printed sign-in address (default $PORT or 8000).",
        )
        # `make run` prints the logins again from this file after the worker's
        # first output: printed once, they scrolled away under the console emails.
        parser.add_argument("--logins-file", type=Path, default=None, help="Also write the logins here.")

    @transaction.atomic
    def handle(self, *args: Any, bankers: int, port: str, logins_file: Path | None, **options: Any) -> None:
        rng = random.Random(42)  # noqa: S311 - demo data, not security
        if not User.objects.filter(email=OWNER_EMAIL).exists():
            services.business_owner_signup(
                welcome=False,
                email=OWNER_EMAIL,
                password=DEMO_PASSWORD,
                first_name="Olivia",
                last_name="Owens",
                profile={
                    "company_name": "Owens Fabrication LLC",
                    "industry": Industry.MANUFACTURING,
                    "years_in_business": 8,
                    "annual_revenue": Decimal("2400000.00"),
                    "employees": 35,
                    "city": "Oakland",
                    "region": "CA",
                    "country": "US",
                },
            )
        for index in range(bankers):
            email = BANKER_EMAIL if index == 0 else f"banker{index:02d}@demo.b2bbank.local"
            if User.objects.filter(email=email).exists():
                continue
            city, region = PLACES[index % len(PLACES)]
            minimum = MINIMUMS[index % len(MINIMUMS)]
            products = sorted(rng.sample(Product.values, k=rng.randint(1, 4)))
            if index == 0:
                products = [Product.EQUIPMENT_FINANCING, Product.TERM_LOAN, Product.LINE_OF_CREDIT]
            institution = BANKS[index % len(BANKS)]
            first_name, last_name = banker_name(index)
            user = services.banker_signup(
                welcome=False,
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                profile={
                    "institution": institution,
                    "job_title": TITLES[index % len(TITLES)],
                    "bio": f"{TITLES[index % len(TITLES)]} at {institution} in {city}, "
                    f"working with {', '.join(p.replace('_', ' ') for p in products)}.",
                    "city": city,
                    "region": region,
                    "country": "US",
                    "products": products,
                    "industries": sorted(rng.sample(Industry.values, k=rng.randint(2, 5))),
                    "min_loan_amount": minimum,
                    "max_loan_amount": None if index % 5 == 0 else minimum * rng.choice([10, 20, 40]),
                    "availability": [Availability.AVAILABLE, Availability.BUSY, Availability.AWAY][index % 3],
                    "accepting_new_clients": index % 7 != 6,
                },
            )
            assert user is not None  # noqa: S101 - the loop skips addresses that exist
            services.banker_set_verification(banker_id=user.pk, status=VerificationStatus.VERIFIED)
        if not User.objects.filter(email=PENDING_EMAIL).exists():
            services.banker_signup(
                welcome=False,
                email=PENDING_EMAIL,
                password=DEMO_PASSWORD,
                first_name="Pat",
                last_name="Pending",
                profile={
                    "institution": "Newcomer Bank",
                    "products": [Product.TERM_LOAN],
                    "min_loan_amount": Decimal("50000"),
                },
            )
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            User.objects.create_superuser(ADMIN_EMAIL, DEMO_PASSWORD, first_name="Ada", last_name="Admin")
        # Demo users have confirmed their addresses, so the demo can apply and chat at once.
        for user in User.objects.filter(email__endswith="@demo.b2bbank.local"):
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"primary": True, "verified": True}
            )
        logins = logins_text(port)
        if logins_file is not None:
            logins_file.parent.mkdir(parents=True, exist_ok=True)
            logins_file.write_text(logins)
        self.stdout.write(self.style.SUCCESS(logins.rstrip("\n")))


def logins_text(port: str) -> str:
    lines = [f"Demo data ready. Sign in at http://127.0.0.1:{port}/login/ with:"]
    for role, email in (
        ("business owner", OWNER_EMAIL),
        ("banker (verified)", BANKER_EMAIL),
        ("banker (pending)", PENDING_EMAIL),
        ("admin (/admin/)", ADMIN_EMAIL),
    ):
        lines.append(f"  {role:<18} {email}  /  {DEMO_PASSWORD}")
    return "\n".join(lines) + "\n"
