"""The email section of the profile settings page: one checkbox per kind of
notification the user can receive."""

from __future__ import annotations

from typing import Any

from django import forms

from .kinds import kinds_for
from .selectors import email_preferences

# Present in every post of the page, so a form without the section (an older
# tab, a script) never turns every email off by omission.
SECTION_MARKER = "email_section"


class EmailPreferencesForm(forms.Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "email")
        super().__init__(*args, **kwargs)
        current = email_preferences(user=user)
        for kind in kinds_for(user):
            self.fields[kind.key] = forms.BooleanField(
                label=kind.label, required=False, initial=current[kind.key]
            )
