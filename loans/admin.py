"""Admin: applications with filters; the timeline is read-only (events are an
audit record) and status only moves through the services, never by editing."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ApplicationEvent, LoanApplication

REFERENCE = re.compile(r"(?:LA-)?0*(\d{1,12})", re.IGNORECASE)


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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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
    search_fields = ("owner__email", "owner__owner_profile__company_name", "banker__email")
    search_help_text = "Reference (LA-000123), company or email."
    list_select_related = ("owner", "banker")
    inlines = (ApplicationEventInline,)
    date_hierarchy = "created_at"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[LoanApplication], search_term: str
    ) -> tuple[QuerySet[LoanApplication], bool]:
        match = REFERENCE.fullmatch(search_term.strip())
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # view-only: status moves through the services, with an event

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
