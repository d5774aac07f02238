"""Database rules in plain words, next to their field.

Django reports a violated CheckConstraint as "Constraint “owner_revenue_not_negative”
is violated." among a form's non-field errors (and in the API's `detail`). A model
that mixes in `PlainConstraintErrors` declares, once and beside its constraints,
the field each rule is about and the sentence a user reads; every ModelForm,
service `full_clean()` and so every API answer then carries that sentence under
that field. Messages live here rather than in each constraint's
`violation_error_message` because that attribute is part of the constraint's
migration state: changing it would need a migration in four apps for a wording
change.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class PlainConstraintErrors:
    """Model mixin: `constraint_errors = {name: (field or None, message)}`."""

    constraint_errors: ClassVar[Mapping[str, tuple[str | None, str]]] = {}

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)  # type: ignore[misc]
        except ValidationError as error:
            raise ValidationError(self._plain_errors(error)) from error

    def _plain_errors(self, error: ValidationError) -> dict[str, list[Any]]:
        # Each constraint's own default sentence identifies it among the errors.
        by_message = {
            constraint.get_violation_error_message(): self.constraint_errors[constraint.name]
            for constraint in self._meta.constraints  # type: ignore[attr-defined]
            if constraint.name in self.constraint_errors
        }
        errors: dict[str, list[Any]] = {}
        for field, field_errors in error.error_dict.items():
            for item in field_errors:
                text = next(iter(item.messages), "")
                if field == NON_FIELD_ERRORS and text in by_message:
                    target, message = by_message[text]
                    # Not "invalid": a ModelForm swaps an "invalid" error for its
                    # field's own "invalid" message ("Enter a whole number.").
                    errors.setdefault(target or NON_FIELD_ERRORS, []).append(
                        ValidationError(message, code="out_of_range")
                    )
                else:
                    errors.setdefault(field, []).append(item)
        return errors
