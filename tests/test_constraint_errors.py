"""Database rules reach users in plain words under their field (issue #16,
defect 3): never "Constraint “owner_revenue_not_negative” is violated."."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import BankerProfile, BusinessOwnerProfile, User
from b2bbank.constraints import PlainConstraintErrors
from chat.models import Message
from chat.tests.factories import ConversationFactory
from loans.models import LoanApplication, Offer
from loans.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "loans", "chat", "documents", "notifications", "jobs", "idempotency", "audit")
# Names a form or the API uses for input that is not a model field.
INPUT_ONLY_FIELDS = {"file"}


def check_constraints() -> list[tuple[type[models.Model], models.CheckConstraint]]:
    return [
        (model, constraint)
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    ]


def test_every_check_constraint_has_a_field_and_plain_words() -> None:
    found = check_constraints()
    assert len(found) >= 20
    for model, constraint in found:
        assert issubclass(model, PlainConstraintErrors), model
        field, message = model.constraint_errors[constraint.name]
        names = {f.name for f in model._meta.get_fields()} | INPUT_ONLY_FIELDS
        assert field is None or field in names, (model, constraint.name)
        assert "_" not in message, message
        assert message.endswith("."), message


def errors_of(instance: models.Model) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.validate_constraints()
    return caught.value.message_dict


def test_model_validation_names_the_field_when_a_rule_breaks(owner_a: User, banker_x: User) -> None:
    owner = owner_a.owner_profile
    owner.annual_revenue = Decimal("-1")
    owner.years_in_business = 301
    assert errors_of(owner) == {
        "annual_revenue": ["Revenue can't be negative; leave it empty if you'd rather not say."],
        "years_in_business": ["Years in business must be 300 or fewer."],
    }
    banker = banker_x.banker_profile
    banker.min_loan_amount = Decimal("0")
    banker.max_loan_amount = Decimal("-5")
    assert set(errors_of(banker)) == {"min_loan_amount", "max_loan_amount"}
    application = ApplicationFactory(owner=owner_a, banker=banker_x)
    application.amount = Decimal("5")
    application.term_months = 999
    assert set(errors_of(application)) == {"amount", "term_months"}
    offer = Offer(
        track=application.tracks.first(), approved_amount=Decimal("10"), origination_fee=Decimal("20")
    )
    assert "origination_fee" in errors_of(offer)
    message = Message(
        conversation=ConversationFactory(owner=owner_a, banker=banker_x), sender=owner_a, body=""
    )
    assert errors_of(message) == {"body": ["Write a message (at most 5,000 characters) or attach a file."]}
    same = ConversationFactory.build(owner=owner_a, banker=owner_a)
    assert errors_of(same) == {NON_FIELD_ERRORS: ["You can't start a conversation with yourself."]}


def owner_profile_post(owner: User, **changes: Any) -> dict[str, Any]:
    profile = owner.owner_profile
    data = {
        "first_name": owner.first_name,
        "last_name": owner.last_name,
        "company_name": profile.company_name,
        "industry": profile.industry,
        "years_in_business": profile.years_in_business,
        "annual_revenue": "",
        "employees": "",
        "city": "",
        "region": "",
        "country": "US",
        "phone": "",
        "website": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("annual_revenue", "-5", "Revenue can't be negative"),
        ("years_in_business", "400", "Years in business must be 300 or fewer."),
    ],
)
def test_owner_profile_page_shows_rule_next_to_field_when_broken(
    owner_a: User, field: str, value: str, words: str
) -> None:
    client = Client()
    client.force_login(owner_a)
    before = BusinessOwnerProfile.objects.get(pk=owner_a.pk)
    response = client.post("/account/profile/", owner_profile_post(owner_a, **{field: value}))
    form = (
        response.context["profile_form"] if "profile_form" in response.context else response.context["form"]
    )
    assert words in " ".join(form.errors[field])
    assert not form.non_field_errors()
    assert "Constraint" not in response.content.decode()
    after = BusinessOwnerProfile.objects.get(pk=owner_a.pk)
    assert (after.annual_revenue, after.years_in_business) == (
        before.annual_revenue,
        before.years_in_business,
    )


@pytest.mark.parametrize(
    ("profile", "field", "words"),
    [
        ({"annual_revenue": "-5"}, "annual_revenue", "greater than or equal to 0"),
        ({"years_in_business": 400}, "years_in_business", "less than or equal to 300"),
    ],
)
def test_owner_api_answers_400_under_the_field_when_rule_broken(
    owner_a: User, profile: dict[str, Any], field: str, words: str
) -> None:
    client = APIClient()
    client.force_authenticate(owner_a)
    response = client.patch("/api/v1/me/", {"profile": profile}, format="json")
    assert response.status_code == 400
    body = response.content.decode()
    assert words in " ".join(response.json()["profile"][field])
    assert "Constraint" not in body
    assert "owner_" not in body


def test_banker_minimum_of_zero_is_a_field_error_on_page_and_api(banker_x: User) -> None:
    client = APIClient()
    client.force_authenticate(banker_x)
    response = client.patch("/api/v1/me/", {"profile": {"min_loan_amount": "0"}}, format="json")
    assert response.status_code == 400
    assert "min_loan_amount" in response.content.decode()
    assert "Constraint" not in response.content.decode()
    assert BankerProfile.objects.get(pk=banker_x.pk).min_loan_amount > 0


def test_loan_amount_rule_is_a_field_error_in_the_api(owner_a: User, banker_x: User) -> None:
    client = APIClient()
    client.force_authenticate(owner_a)
    response = client.post(
        "/api/v1/applications/",
        {
            "banker": banker_x.pk,
            "product": "term_loan",
            "amount": "5.00",
            "term_months": 12,
            "purpose": "Vans",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    assert "Constraint" not in response.content.decode()
    assert not LoanApplication.objects.exists()
