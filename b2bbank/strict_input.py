"""Input serializers that refuse fields they do not know.

DRF ignores unknown keys by default; for a bank an ignored `role` or `status` in
a request hides a client bug (or a probe), so it is a 400 naming the field."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class StrictInput(serializers.Serializer):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field; it cannot be set here."] for name in unknown}
                )
        return super().to_internal_value(data)
