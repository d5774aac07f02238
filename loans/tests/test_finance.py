"""Loan arithmetic against published figures: the APR by the actuarial method
(Regulation Z, 12 CFR 1026 Appendix J) and standard amortization."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loans.finance import apr, monthly_payment, offer_figures

D = Decimal


@pytest.mark.parametrize(
    ("amount_financed", "payment", "months", "disclosed"),
    [
        # Appendix J (c)(5)(i), monthly payments, regular first period:
        # $5,000 financed, 24 payments of $230 -> 9.69%.
        (D("5000.00"), D("230.00"), 24, D("9.69")),
        # Arithmetic anyone can check: $1,000 at 1% a month over 12 months
        # is 12 payments of $88.85 -> 12.00%.
        (D("1000.00"), D("88.85"), 12, D("12.00")),
    ],
)
def test_apr_matches_published_worked_examples(
    amount_financed: Decimal, payment: Decimal, months: int, disclosed: Decimal
) -> None:
    computed = apr(amount_financed=amount_financed, payment=payment, months=months)
    assert computed.quantize(D("0.01")) == disclosed
    # Appendix J's own tolerance for a regular transaction is 1/8 of a point; we are far inside it.
    assert abs(computed - disclosed) < D("0.01")


def test_monthly_payment_is_standard_amortization_rounded_to_the_cent() -> None:
    assert monthly_payment(principal=D("200000"), annual_rate_percent=D("7.25"), months=48) == D("4812.48")
    assert monthly_payment(principal=D("5000"), annual_rate_percent=D("12"), months=36) == D("166.07")
    assert monthly_payment(principal=D("1200"), annual_rate_percent=D("0"), months=12) == D("100.00")


def test_without_a_fee_the_apr_is_the_note_rate() -> None:
    payment, rate = offer_figures(amount=D("250000"), annual_rate_percent=D("7.4"), months=60, fee=D("0"))
    assert (payment, rate) == (D("4997.62"), D("7.400"))


def test_a_fee_raises_the_apr_above_the_rate() -> None:
    _, with_fee = offer_figures(amount=D("250000"), annual_rate_percent=D("6.95"), months=60, fee=D("3750"))
    assert with_fee == D("7.586")


def test_zero_rate_and_zero_fee_is_zero_apr() -> None:
    assert offer_figures(amount=D("12000"), annual_rate_percent=D("0"), months=12, fee=D("0")) == (
        D("1000.00"),
        D("0.000"),
    )


def test_everything_is_decimal() -> None:
    payment, rate = offer_figures(
        amount=D("98765.43"), annual_rate_percent=D("5.125"), months=360, fee=D("987.65")
    )
    assert isinstance(payment, Decimal)
    assert isinstance(rate, Decimal)
    assert rate.as_tuple().exponent == -3
