"""Changing the sign-in address: confirmed at the new address, the old one is told."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD
from accounts.tests.mailbox import links_in

pytestmark = pytest.mark.django_db


def test_email_change_takes_effect_only_when_the_new_address_confirms(
    owner_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    old = owner_a.email
    client = Client()
    client.force_login(owner_a)
    reauth = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert reauth.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": "owner.new@example.com"})
    assert response.status_code == 302
    [confirm] = mail.outbox
    assert confirm.to == ["owner.new@example.com"]
    owner_a.refresh_from_db()
    assert owner_a.email == old, "nothing changes before the new address confirms"
    (link,) = links_in(confirm.body)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    owner_a.refresh_from_db()
    assert owner_a.email == "owner.new@example.com"
    assert list(EmailAddress.objects.filter(user=owner_a).values_list("email", "verified", "primary")) == [
        ("owner.new@example.com", True, True)
    ]
    told = [m for m in mail.outbox if m.to == [old]]
    assert len(told) == 1
    assert "owner.new@example.com" in told[0].body


def test_email_change_needs_the_password_again(owner_a: User) -> None:
    client = Client()
    client.force_login(owner_a)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "owner.new@example.com"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="owner.new@example.com").exists()
