"""Admin changes go to the audit trail with the values before and after."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest

from .services import audit_log

HIDDEN = {"password", "key_hash"}


def snapshot(instance: models.Model) -> dict[str, Any]:
    values = model_to_dict(instance)
    return {
        name: "[hidden]"
        if name in HIDDEN
        else value
        if isinstance(value, str | int | bool | type(None))
        else str(value)
        for name, value in values.items()
    }


class AuditedAdminMixin(admin.ModelAdmin):
    """Every add, change and delete through the admin writes one audit record."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit_log(
                action="admin.change" if change else "admin.add",
                actor=request.user,
                target=obj,
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_log(action="admin.delete", actor=request.user, target=obj, before=snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_log(action="admin.delete", actor=request.user, target=obj, before=snapshot(obj))
            super().delete_queryset(request, queryset)
