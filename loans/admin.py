"""Admin: applications with filters; the timeline is read-only (events are an
audit record) and status only moves through the services, never by editing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ApplicationEvent, LoanApplication


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "from_status", "to_status", "note")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LoanApplication)
class LoanApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "owner",
        "banker",
        "product",
        "amount",
        "term_months",
        "status",
        "created_at",
    )
    list_filter = ("status", "product", ("banker", admin.RelatedOnlyFieldListFilter))
    search_fields = ("id", "owner__email", "owner__owner_profile__company_name", "banker__email")
    list_select_related = ("owner", "banker")
    inlines = (ApplicationEventInline,)
    date_hierarchy = "created_at"
    readonly_fields = (
        "owner",
        "banker",
        "product",
        "amount",
        "term_months",
        "purpose",
        "status",
        "approved_amount",
        "interest_rate",
        "approved_term_months",
        "conditions",
        "decline_reason",
        "created_at",
        "updated_at",
        "submitted_at",
        "decided_at",
        "status_changed_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
