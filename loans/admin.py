"""Admin: applications with filters; the timeline is read-only (events are an
audit record) and status only moves through the services, never by editing."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ApplicationEvent, ApplicationTrack, LoanApplication, Offer

REFERENCE = re.compile(r"(?:LA-)?0*(\d{1,12})", re.IGNORECASE)


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "track", "from_status", "to_status", "note")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Tracks and offers move only through the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TrackInline(ReadOnlyInline):
    model = ApplicationTrack
    fields = (
        "banker",
        "status",
        "submitted_at",
        "status_changed_at",
        "decided_at",
        "released_at",
        "decline_reason",
    )
    readonly_fields = fields


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = (
        "status",
        "approved_amount",
        "interest_rate",
        "term_months",
        "origination_fee",
        "monthly_payment",
        "apr",
        "expires_at",
        "decided_at",
    )
    readonly_fields = fields


@admin.register(ApplicationTrack)
class ApplicationTrackAdmin(admin.ModelAdmin):
    """One banker's track and its offers, view-only."""

    list_display = ("__str__", "banker", "status", "status_changed_at")
    list_filter = ("status",)
    search_fields = ("banker__email", "application__owner__email")
    list_select_related = ("application", "banker")
    inlines = (OfferInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
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
    inlines = (TrackInline, ApplicationEventInline)
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
