"""allauth.mfa's forms in b2bbank's words (MFA_FORMS), with the limits its own
forms leave open."""

from __future__ import annotations

from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django.core.validators import MaxLengthValidator

PASSKEY_NAME_MAX = 100


class AddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.fields["name"]
        name.help_text = "So you can tell your passkeys apart, e.g. “Work laptop” or “Phone”."
        name.max_length = PASSKEY_NAME_MAX
        name.validators.append(MaxLengthValidator(PASSKEY_NAME_MAX))
        name.widget.attrs["maxlength"] = str(PASSKEY_NAME_MAX)
        passwordless = self.fields["passwordless"]
        passwordless.label = "Sign in with this passkey alone"
        passwordless.help_text = (
            "Your device's fingerprint, face or PIN then replaces the password. "
            "Leave it unticked for a security key used only as a second step."
        )
        passwordless.initial = True
