"""Loan arithmetic in Decimal: the monthly payment by standard amortization and
the APR by the actuarial method (Regulation Z, Appendix J).

Rounding: money to the cent, half up (what a payment schedule shows); the APR
to three decimals, half up (the precision rates are stored at). Both are
computed from the exact terms; the APR uses the rounded payment, as the
payment the borrower actually makes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
APR_PLACES = Decimal("0.001")
MONTHS_PER_YEAR = 12
_HUNDRED = Decimal(100)
# Bisection over the monthly rate: 200 halvings of [0, 1] pin it far below the
# APR's third decimal.
_ITERATIONS = 200
_PRECISION = 40


def monthly_payment(*, principal: Decimal, annual_rate_percent: Decimal, months: int) -> Decimal:
    """The level payment that repays `principal` in `months` at the annual rate
    (percent, compounded monthly): P·i / (1 - (1 + i)^-n), or P / n at 0 %."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        rate = annual_rate_percent / _HUNDRED / MONTHS_PER_YEAR
        payment = principal / months if rate == 0 else principal * rate / (1 - (1 + rate) ** -months)
        return payment.quantize(CENT, rounding=ROUND_HALF_UP)


def present_value(*, payment: Decimal, monthly_rate: Decimal, months: int) -> Decimal:
    """What `months` level payments are worth today at a monthly rate."""
    if monthly_rate == 0:
        return payment * months
    return payment * (1 - (1 + monthly_rate) ** -months) / monthly_rate


def apr(*, amount_financed: Decimal, payment: Decimal, months: int) -> Decimal:
    """The annual percentage rate: twelve times the monthly rate at which the
    present value of the payments equals the amount financed (the amount less
    the fees), by bisection. Zero when the payments do not exceed it."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        if payment * months <= amount_financed:
            return Decimal("0.000")
        low, high = Decimal(0), Decimal(1)
        while present_value(payment=payment, monthly_rate=high, months=months) > amount_financed:
            high *= 2  # absurd terms (fee near the amount): widen until bracketed
        for _ in range(_ITERATIONS):
            middle = (low + high) / 2
            if present_value(payment=payment, monthly_rate=middle, months=months) > amount_financed:
                low = middle
            else:
                high = middle
        annual = (low + high) / 2 * MONTHS_PER_YEAR * _HUNDRED
        return annual.quantize(APR_PLACES, rounding=ROUND_HALF_UP)


def offer_figures(
    *, amount: Decimal, annual_rate_percent: Decimal, months: int, fee: Decimal
) -> tuple[Decimal, Decimal]:
    """(monthly payment, APR) for an offer: the payment amortizes the whole
    amount, the APR counts the fee (the amount financed is amount - fee)."""
    payment = monthly_payment(principal=amount, annual_rate_percent=annual_rate_percent, months=months)
    return payment, apr(amount_financed=amount - fee, payment=payment, months=months)
