"""Moves every confirmed django-otp authenticator app and its recovery codes to
allauth.mfa, so nobody loses their second factor when b2bbank switches.

django-otp keeps the TOTP key as hex; allauth keeps a base32 secret, passed
through its adapter's encrypt() (allauth.mfa.utils.encrypt, the public entry).
Recovery codes keep working as allauth's "migrated_codes" (each once). The old
rows stay, unused, until django-otp leaves in a later release (docs/deploy.md)."""

from __future__ import annotations

import base64
from typing import Any

from django.db import migrations
from django.utils import timezone

# allauth's TOTP settings (MFA_TOTP_PERIOD, MFA_TOTP_DIGITS) are site-wide; b2bbank
# only ever made devices with django-otp's defaults, which are the same.
PERIOD, DIGITS = 30, 6


def totp_secret(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode("ascii")


def move_second_factors(apps: Any, schema_editor: Any) -> None:
    from allauth.mfa.utils import encrypt

    totp_devices = apps.get_model("otp_totp", "TOTPDevice")
    static_devices = apps.get_model("otp_static", "StaticDevice")
    static_tokens = apps.get_model("otp_static", "StaticToken")
    authenticators = apps.get_model("mfa", "Authenticator")
    moved_users = set()
    for device in totp_devices.objects.filter(confirmed=True).order_by("pk"):
        if device.step != PERIOD or device.digits != DIGITS or device.t0 != 0:
            raise RuntimeError(f"TOTP device {device.pk} has settings allauth cannot keep; move it by hand")
        if authenticators.objects.filter(user_id=device.user_id, type="totp").exists():
            continue
        authenticators.objects.create(
            user_id=device.user_id,
            type="totp",
            data={"secret": encrypt(totp_secret(device.key))},
            created_at=device.created_at or timezone.now(),
            last_used_at=device.last_used_at,
        )
        moved_users.add(device.user_id)
    # Recovery codes only beside a moved authenticator app: alone they are no factor.
    for device in static_devices.objects.filter(confirmed=True, user_id__in=moved_users).order_by("pk"):
        codes = list(static_tokens.objects.filter(device_id=device.pk).values_list("token", flat=True))
        if not codes or authenticators.objects.filter(user_id=device.user_id, type="recovery_codes").exists():
            continue
        authenticators.objects.create(
            user_id=device.user_id,
            type="recovery_codes",
            data={"migrated_codes": [encrypt(code) for code in codes], "used_mask": 0},
            created_at=device.created_at or timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("authentication", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        # Backwards leaves allauth's rows: the django-otp rows were never removed.
        migrations.RunPython(move_second_factors, migrations.RunPython.noop),
    ]
