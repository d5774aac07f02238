"""Which bankers an application may go to: the rules submit enforces (each
refusal naming the banker and the rule) and the matching list the owner picks
from (the same rules as a query, with the reasons each banker fits)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from accounts.choices import Availability, Product
from accounts.models import BankerProfile
from accounts.selectors import banker_for_application, bankers_to_apply_to
from b2bbank.display import format_money

from .models import LoanApplication

MAX_BANKERS = 5
MATCHES_SHOWN = 30


@dataclass(frozen=True)
class Problem:
    """One reason an application cannot go to one banker."""

    banker_id: int | None
    code: str
    sentence: str


def _name(profile: BankerProfile) -> str:
    return f"{profile.user.get_full_name()} ({profile.institution})"


def _money(amount: Decimal) -> str:
    return format_money(amount)


def banker_problem(application: LoanApplication, banker_id: int) -> Problem | None:
    """The first rule this banker fails for this application, or None."""
    profile = banker_for_application(banker_id=banker_id)
    if profile is None:
        return Problem(banker_id, "banker_unknown", f"Banker {banker_id} does not exist.")
    code, text = _first_failed_rule(application, profile)
    if not code:
        return None
    return Problem(banker_id, code, f"{_name(profile)}: {text}")


def _first_failed_rule(application: LoanApplication, profile: BankerProfile) -> tuple[str, str]:
    """(code, sentence) of the first rule this banker fails, or ("", "")."""
    if not profile.is_verified:
        return "banker_not_verified", "This banker is not verified yet."
    if not profile.accepting_new_clients:
        return "banker_not_accepting", "This banker is not accepting new clients."
    if application.product not in profile.products:
        return (
            "product_not_offered",
            f"This banker does not offer {Product(application.product).label.lower()}.",
        )
    if application.amount < profile.min_loan_amount:
        return (
            "amount_below_minimum",
            f"The amount is below this banker's minimum of {_money(profile.min_loan_amount)}.",
        )
    if profile.max_loan_amount is not None and application.amount > profile.max_loan_amount:
        return (
            "amount_above_maximum",
            f"The amount is above this banker's maximum of {_money(profile.max_loan_amount)}.",
        )
    return "", ""


def eligibility_problems(application: LoanApplication, banker_ids: list[int]) -> list[Problem]:
    """Every problem with sending to these bankers: too many, the same one
    twice, and each banker's first failing rule."""
    problems: list[Problem] = []
    if len(banker_ids) > MAX_BANKERS:
        problems.append(
            Problem(
                None, "too_many_bankers", f"Choose at most {MAX_BANKERS} bankers ({len(banker_ids)} chosen)."
            )
        )
    seen: set[int] = set()
    for banker_id in banker_ids:
        if banker_id in seen:
            problems.append(Problem(banker_id, "banker_duplicate", f"Banker {banker_id} is chosen twice."))
            continue
        seen.add(banker_id)
        problem = banker_problem(application, banker_id)
        if problem is not None:
            problems.append(problem)
    return problems


@dataclass
class Match:
    """A banker who fits an application, and why, as the owner reads it."""

    profile: BankerProfile
    reasons: list[str] = field(default_factory=list)


def _fitting(application: LoanApplication) -> QuerySet[BankerProfile]:
    amount = application.amount
    industry = application.owner.owner_profile.industry
    return (
        bankers_to_apply_to()
        .filter(
            accepting_new_clients=True, products__contains=[application.product], min_loan_amount__lte=amount
        )
        .filter(Q(max_loan_amount__isnull=True) | Q(max_loan_amount__gte=amount))
        .filter(Q(industries=[]) | Q(industries__contains=[industry]))
    )


def matching_bankers(application: LoanApplication) -> list[Match]:
    """Verified bankers who fit: they offer the product, lend this amount, take
    new clients and serve the owner's industry (or every industry). Best fit
    first: same region, named industry, available now."""
    owner = application.owner.owner_profile
    region = owner.region.strip().upper()
    ranked = _fitting(application).annotate(
        same_region=Case(
            When(Q(region__iexact=region) & ~Q(region=""), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        named_industry=Case(
            When(industries=[], then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        busy=Case(
            When(availability=Availability.AVAILABLE, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )
    ordered = ranked.order_by("same_region", "named_industry", "busy", "user__last_name", "user_id")
    return [_match(application, profile) for profile in ordered[:MATCHES_SHOWN]]


def _match(application: LoanApplication, profile: BankerProfile) -> Match:
    product = Product(application.product).label
    high = profile.max_loan_amount
    upper = format_money(high, places=0) if high is not None else "no maximum"
    reasons = [f"offers {product}", f"{format_money(profile.min_loan_amount, places=0)} to {upper}"]
    industry = application.owner.owner_profile.get_industry_display()
    reasons.append(f"serves {industry.lower()}" if profile.industries else "serves every industry")
    if profile.region:
        reasons.append(profile.region)
    if profile.availability != Availability.AVAILABLE:
        reasons.append(profile.get_availability_display().lower())
    return Match(profile, reasons)
