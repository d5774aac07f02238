"""Money and rates are plain decimal text: "1_000", "1e5", " 5000.00" and
full-width digits are refused with a clear message, in the API and in page
forms, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import BankerProfile
from b2bbank.decimal_input import is_plain_decimal
from loans.models import LoanApplication

pytestmark = pytest.mark.django_db

FULL_WIDTH_5000 = "\uff15\uff10\uff10\uff10"  # "5000" in full-width digits
NOT_PLAIN = [
    "1_000",
    "1e5",
    " 5000.00",
    "5000.00 ",
    FULL_WIDTH_5000,
    "5,000.00",
    "0x10",
    "+5000",
    "NaN",
    "Infinity",
    ".",
]
APPLICATION = {"product": "term_loan", "term_months": 36, "purpose": "Stock"}


@pytest.mark.parametrize("amount", NOT_PLAIN)
def test_api_refuses_an_amount_that_is_not_plain(api_as: Any, owner_a: Any, amount: str) -> None:
    response = api_as(owner_a).post("/api/v1/applications/", {**APPLICATION, "amount": amount}, format="json")
    assert response.status_code == 400
    assert "plain number" in response.json()["amount"][0]
    assert not LoanApplication.objects.exists()


@pytest.mark.parametrize("amount", [5000.5, 5000.0, True])
def test_api_refuses_money_as_a_fractional_json_number_or_a_boolean(
    api_as: Any, owner_a: Any, amount: Any
) -> None:
    response = api_as(owner_a).post("/api/v1/applications/", {**APPLICATION, "amount": amount}, format="json")
    assert response.status_code == 400
    assert not LoanApplication.objects.exists()


@pytest.mark.parametrize("amount", ["5000", "5000.5", "5000.00", 5000])
def test_api_accepts_plain_amounts(api_as: Any, owner_a: Any, amount: Any) -> None:
    response = api_as(owner_a).post("/api/v1/applications/", {**APPLICATION, "amount": amount}, format="json")
    assert response.status_code == 201, response.json()


def test_api_refuses_a_non_plain_banker_minimum(api_as: Any, banker_x: Any) -> None:
    before = BankerProfile.objects.get(user=banker_x).min_loan_amount
    response = api_as(banker_x).patch("/api/v1/me/", {"profile": {"min_loan_amount": "1e5"}}, format="json")
    assert response.status_code == 400
    assert BankerProfile.objects.get(user=banker_x).min_loan_amount == before


@pytest.mark.parametrize("amount", ["1_000", "1e5", " 5000.00", FULL_WIDTH_5000])
def test_page_form_refuses_a_non_plain_amount_next_to_its_field(owner_a: Any, amount: str) -> None:
    client = Client()
    client.force_login(owner_a)
    response = client.post(reverse("loans:new"), {**APPLICATION, "amount": amount, "banker": ""})
    assert response.status_code in (200, 400)
    assert "Enter a plain number with digits" in response.content.decode()
    assert not LoanApplication.objects.exists()


def test_the_rule_itself() -> None:
    assert all(is_plain_decimal(v) for v in ["0", "12", "12.5", "-3.25", "250000.00"])
    assert not any(is_plain_decimal(v) for v in NOT_PLAIN)
