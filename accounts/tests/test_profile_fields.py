"""The profile fields an owner or banker may set come from one list per role
(accounts.models): the page form, the API input and output, and the service all
read it, so a field added there is accepted everywhere (PATCH me/ refused a new
one with a 400 before issue #14)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.api.serializers import (
    BankerProfileInput,
    BankerProfileOutput,
    BankerSignupInput,
    MeOutput,
    MeUpdateInput,
    OwnerProfileInput,
    OwnerProfileOutput,
    OwnerSignupInput,
)
from accounts.forms import BankerProfileForm, NamesForm, OwnerProfileForm
from accounts.models import BANKER_PROFILE_FIELDS, OWNER_PROFILE_FIELDS, USER_PROFILE_FIELDS, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "form", "api_in", "signup_in", "api_out"),
    [
        (OWNER_PROFILE_FIELDS, OwnerProfileForm, OwnerProfileInput, OwnerSignupInput, OwnerProfileOutput),
        (
            BANKER_PROFILE_FIELDS,
            BankerProfileForm,
            BankerProfileInput,
            BankerSignupInput,
            BankerProfileOutput,
        ),
    ],
)
def test_form_api_and_output_read_the_same_list(
    fields: tuple[str, ...], form: Any, api_in: Any, signup_in: Any, api_out: Any
) -> None:
    assert list(form.base_fields) == list(fields)
    assert set(api_in().fields) == set(fields)
    assert set(signup_in().fields) == {
        "email",
        "password",
        "first_name",
        "last_name",
        "accept_terms",
        "time_zone",
        *fields,
    }
    assert set(fields) <= set(api_out().fields)


def test_every_listed_field_is_accepted_by_patch_me(owner_a: User, banker_x: User) -> None:
    for user, fields in ((owner_a, OWNER_PROFILE_FIELDS), (banker_x, BANKER_PROFILE_FIELDS)):
        client = APIClient()
        client.force_authenticate(user)
        current = client.get("/api/v1/me/").json()["profile"]
        for name in fields:
            response = client.patch("/api/v1/me/", {"profile": {name: current[name]}}, format="json")
            assert response.status_code == 200, (name, response.json())


def test_a_field_added_to_the_list_reaches_the_api_input() -> None:
    """What the comment in accounts/models.py promises: add a model field's name
    to the list and the API accepts it, no serializer edit needed."""

    class WithCreatedAt(OwnerProfileInput):
        class Meta(OwnerProfileInput.Meta):
            fields = (*OWNER_PROFILE_FIELDS, "created_at")

    assert "created_at" in WithCreatedAt().fields


def test_the_users_own_fields_come_from_one_list_too() -> None:
    """USER_PROFILE_FIELDS: the profile page's form, PATCH me/ and GET me/."""
    assert tuple(NamesForm.base_fields) == USER_PROFILE_FIELDS
    assert set(MeUpdateInput().fields) - {"profile", "email_notifications"} == set(USER_PROFILE_FIELDS)
    assert set(USER_PROFILE_FIELDS) <= set(MeOutput().fields)
