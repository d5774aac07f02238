"""Two-factor authentication: who needs it, enrolment, verification, recovery codes.

TOTP (an authenticator app) is the factor; ten single-use recovery codes are the
way back in when the phone is lost. django-otp stores the devices and throttles
guessing (each failure doubles the wait)."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log
from b2bbank.domain_errors import NotEligible

RECOVERY_CODE_COUNT = 10
ENROLLED_SESSION_KEY = "_2fa_enrolled"


class InvalidOtp(NotEligible):
    code = "otp_invalid"


def two_factor_required(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return bool(settings.B2BBANK_2FA_REQUIRED_FOR_STAFF)
    return user.role in settings.B2BBANK_2FA_REQUIRED_ROLES


def two_factor_enabled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_enrolment(session: SessionBase, user: Any) -> None:
    """Cache the enrolment flag in the session so the per-request check costs
    no query; refreshed at login and whenever enrolment changes."""
    session[ENROLLED_SESSION_KEY] = two_factor_enabled(user)


@transaction.atomic
def totp_setup_start(*, user: Any) -> TOTPDevice:
    """A fresh unconfirmed authenticator for the user (an abandoned one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def totp_setup_confirm(*, user: Any, device_id: int, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns new recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise NotEligible("This setup has expired. Start again.", code="otp_setup_expired")
    if not device.verify_token(_digits(token)):
        raise InvalidOtp("That code is not valid. Check the time on your phone and try the newest code.")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_log(action="auth.2fa_enabled", actor=user, target=user)
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: Any) -> list[str]:
    """Replace the user's recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_log(action="auth.2fa_recovery_codes", actor=user, target=user)
    return codes


@transaction.atomic
def two_factor_disable(*, user: Any, token: str) -> None:
    if two_factor_required(user):
        raise NotEligible("Two-factor authentication is required for your account.", code="otp_required")
    if otp_verify(user=user, token=token) is None:
        raise InvalidOtp("That code is not valid.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(action="auth.2fa_disabled", actor=user, target=user)


def otp_verify(*, user: Any, token: str) -> Device | None:
    """The device that accepts this code (TOTP or a recovery code, which is then
    used up), or None. Failures are audited."""
    device = match_token(user, _normalize(token)) if token else None
    if device is None:
        audit_log(action="auth.2fa_failed", actor=user, target=user)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def secret_for_manual_entry(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch in "0123456789")  # isdigit() is true for "²" too


def _normalize(token: str) -> str:
    # Recovery codes are shown lower-case in groups; people type them any way.
    return token.strip().replace(" ", "").replace("-", "").lower()
