from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import BankerProfile, User

pytestmark = pytest.mark.django_db


def test_admin_action_verifies_selected_bankers(client: Client, staff: User, pending_banker: User) -> None:
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_bankerprofile_changelist"),
        {"action": "verify_bankers", "_selected_action": [pending_banker.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert BankerProfile.objects.get(user=pending_banker).verification_status == "verified"


def test_admin_lists_and_searches(client: Client, staff: User, banker_x: User, owner_a: User) -> None:
    client.force_login(staff)
    for name in ("accounts_user", "accounts_bankerprofile", "accounts_businessownerprofile"):
        response = client.get(reverse(f"admin:{name}_changelist"), {"q": "example"})
        assert response.status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[banker_x.pk])).status_code == 200


def test_admin_deactivate_action_ends_tokens(client: Client, staff: User, owner_a: User) -> None:
    from django.test import RequestFactory

    from accounts.tests.factories import PASSWORD
    from authentication.models import ApiToken
    from authentication.services import token_create

    _, token = token_create(request=RequestFactory().post("/"), email=owner_a.email, password=PASSWORD)
    client.force_login(staff)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [owner_a.pk, staff.pk]},
    )
    owner_a.refresh_from_db()
    staff.refresh_from_db()
    assert not owner_a.is_active
    assert staff.is_active, "an admin cannot deactivate themselves by accident"
    assert not ApiToken.objects.live().filter(pk=token.pk).exists()
