"""The banker's name reaches the search document through the accounts services
(and admin), since the generated column cannot read the user table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict

from accounts import services
from accounts.models import BankerProfile
from accounts.tests.factories import BankerFactory, StaffFactory
from directory.filters import BankerSearchForm
from directory.selectors import banker_matches

pytestmark = pytest.mark.django_db


def found(q: str) -> list[int]:
    form = BankerSearchForm(QueryDict(f"q={q}"))
    assert form.is_valid(), form.errors
    return list(banker_matches(params=form.params()).values_list("user_id", flat=True))


def test_banker_signup_makes_the_name_searchable() -> None:
    user = services.banker_signup(
        email="ximena@bank.example",
        password="a-long-enough-pass-42",
        first_name="Ximena",
        last_name="Quarles",
        profile={"institution": "Pine Bank", "products": ["term_loan"], "min_loan_amount": Decimal(1000)},
    )
    services.banker_set_verification(banker_id=user.pk, status="verified")
    assert BankerProfile.objects.get(pk=user.pk).display_name == "Ximena Quarles"
    assert found("quarles") == [user.pk]


def test_profile_update_renames_in_search() -> None:
    user = BankerFactory(first_name="Old", last_name="Name")
    services.profile_update(user=user, user_fields={"last_name": "Zebulon"}, profile_fields={})
    assert found("zebulon") == [user.pk]
    assert found("name") == []


def test_profile_edits_update_the_document() -> None:
    user = BankerFactory()
    services.profile_update(user=user, user_fields={}, profile_fields={"bio": "Vineyard financing."})
    assert found("vineyard") == [user.pk]


def test_admin_name_change_renames_in_search(client) -> None:  # type: ignore[no-untyped-def]
    user = BankerFactory(first_name="Old", last_name="Name")
    client.force_login(StaffFactory())
    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "first_name": "Old",
            "last_name": "Quixote",
            "role": "banker",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "banker_profile-TOTAL_FORMS": "1",
            "banker_profile-INITIAL_FORMS": "1",
            "banker_profile-MIN_NUM_FORMS": "0",
            "banker_profile-MAX_NUM_FORMS": "1",
            "banker_profile-0-user": str(user.pk),
            "banker_profile-0-institution": "First Harbor Bank",
            "banker_profile-0-products": "term_loan",
            "banker_profile-0-industries": "",
            "banker_profile-0-min_loan_amount": "50000",
            "banker_profile-0-availability": "available",
            "banker_profile-0-country": "US",
            "banker_profile-0-accepting_new_clients": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("quixote") == [user.pk]
