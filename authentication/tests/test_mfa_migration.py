"""Migration authentication 0002 moves django-otp's authenticator apps and recovery codes to
allauth.mfa: the old app's codes and the old recovery codes still sign in."""

from __future__ import annotations

import importlib
import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
migration = importlib.import_module("authentication.migrations.0002_second_factors_to_allauth_mfa")


def old_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + 30 * steps_ahead
    return str(totp.token()).zfill(device.digits)


def old_factors(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(10)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return device, codes


def sign_in_with(client: Client, user: Any, code: str) -> Any:
    client.post("/login/", {"username": user.email, "password": PASSWORD})
    return client.post("/login/verify/", {"code": code, "next": "/owner/"})


def test_an_old_authenticator_app_and_recovery_codes_keep_working(owner_a: Any, owner_b: Any) -> None:
    device, codes = old_factors(owner_a)
    TOTPDevice.objects.create(user=owner_b, name="abandoned setup", confirmed=False)
    migration.move_second_factors(apps, None)

    totp = Authenticator.objects.get(user=owner_a, type="totp")
    assert totp.data["secret"] == migration.totp_secret(device.key)
    assert not Authenticator.objects.filter(user=owner_b).exists()  # never confirmed: not a factor
    assert sign_in_with(Client(), owner_a, old_code(device))["Location"] == "/owner/"
    typed = f"{codes[2][:4].upper()}-{codes[2][4:]}"
    assert sign_in_with(Client(), owner_a, typed)["Location"] == "/owner/"
    assert sign_in_with(Client(), owner_a, codes[2]).status_code == 200  # each code once


def test_running_it_again_changes_nothing(owner_a: Any) -> None:
    old_factors(owner_a)
    migration.move_second_factors(apps, None)
    before = list(Authenticator.objects.values_list("pk", "data"))
    migration.move_second_factors(apps, None)
    assert list(Authenticator.objects.values_list("pk", "data")) == before


def test_a_device_allauth_cannot_represent_stops_the_migration(owner_a: Any) -> None:
    TOTPDevice.objects.create(user=owner_a, name="Odd", confirmed=True, step=60)
    with pytest.raises(RuntimeError, match="by hand"):
        migration.move_second_factors(apps, None)


def test_the_hex_key_becomes_the_same_secret_in_base32() -> None:
    assert migration.totp_secret("48656c6c6f21deadbeef") == "JBSWY3DPEHPK3PXP"
