"""Admin for users, both profiles, and banker verification."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from audit.admin_trail import AuditedAdminMixin

from . import services
from .choices import VerificationStatus
from .models import ApiToken, BankerProfile, BusinessOwnerProfile, User


class OwnerProfileInline(admin.StackedInline):
    model = BusinessOwnerProfile
    can_delete = False
    extra = 0


class BankerProfileInline(admin.StackedInline):
    model = BankerProfile
    can_delete = False
    extra = 0
    readonly_fields = ("verification_status", "verified_at")


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "role", "is_active", "is_staff", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "role")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "role", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ("deactivate_users",)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # End the sessions, tokens and sockets too, not just the flag.
            services.user_deactivate(user_id=obj.pk, actor=request.user)

    @admin.action(description="Deactivate selected users (ends their sessions, tokens and sockets)")
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        ids = list(queryset.exclude(pk=request.user.pk or 0).values_list("pk", flat=True))
        for user_id in ids:
            services.user_deactivate(user_id=user_id, actor=request.user)
        messages.success(request, f"{len(ids)} user(s) deactivated.")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.is_banker:
            # Admin edits bypass profile_update; keep directory search's copy of the name in step.
            services.banker_sync_display_name(user=form.instance)

    def get_inlines(self, request: HttpRequest, obj: User | None) -> list:  # type: ignore[override]
        if obj is None:
            return []
        if obj.is_banker:
            return [BankerProfileInline]
        if obj.is_business_owner:
            return [OwnerProfileInline]
        return []


@admin.register(BusinessOwnerProfile)
class BusinessOwnerProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("company_name", "user", "industry", "region", "country", "created_at")
    list_filter = ("industry", "country")
    search_fields = ("company_name", "user__email", "city", "region")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


def _set_verification(
    request: HttpRequest, queryset: QuerySet[BankerProfile], status: VerificationStatus
) -> None:
    ids = list(queryset.values_list("user_id", flat=True))
    for banker_id in ids:
        services.banker_set_verification(banker_id=banker_id, status=status, actor=request.user)
    messages.success(request, f"{len(ids)} banker(s) marked {status.label.lower()}.")


@admin.register(BankerProfile)
class BankerProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "institution",
        "region",
        "min_loan_amount",
        "max_loan_amount",
        "availability",
        "verification_status",
    )
    list_filter = ("verification_status", "availability", "accepting_new_clients", "country")
    search_fields = ("user__email", "user__first_name", "user__last_name", "institution", "city")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("verification_status", "verified_at", "created_at", "updated_at")
    actions = ("verify_bankers", "reject_bankers")

    @admin.action(description="Verify selected bankers")
    def verify_bankers(self, request: HttpRequest, queryset: QuerySet[BankerProfile]) -> None:
        _set_verification(request, queryset, VerificationStatus.VERIFIED)

    @admin.action(description="Reject selected bankers")
    def reject_bankers(self, request: HttpRequest, queryset: QuerySet[BankerProfile]) -> None:
        _set_verification(request, queryset, VerificationStatus.REJECTED)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    readonly_fields = ("user", "key_hash", "created_at", "expires_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
