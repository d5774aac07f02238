"""Admin for users, both profiles, and banker verification."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from audit.admin_trail import AuditedAdminMixin

from . import services
from .choices import VerificationStatus
from .forms import RejectBankerForm
from .models import BankerEvidence, BankerProfile, BusinessOwnerProfile, TermsConsent, User


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
    readonly_fields = (
        "verification_status",
        "verified_at",
        "evidence_lender_id",
        "evidence_work_email",
        "evidence_note",
        "evidence_decision_reason",
        "created_at",
        "updated_at",
    )
    actions = ("verify_bankers", "reject_bankers")
    change_form_template = "admin/accounts/bankerprofile/change_form.html"

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "<int:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="banker-verify-now",
            ),
            path(
                "<int:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="banker-reject-now",
            ),
        ]
        return extra + super().get_urls()

    def _evidence(self, obj: BankerProfile) -> BankerEvidence | None:
        return BankerEvidence.objects.filter(user_id=obj.user_id).first()

    @admin.display(description="Lender ID")
    def evidence_lender_id(self, obj: BankerProfile) -> str:
        evidence = self._evidence(obj)
        return evidence.lender_id if evidence else "— not sent"

    @admin.display(description="Work email")
    def evidence_work_email(self, obj: BankerProfile) -> str:
        evidence = self._evidence(obj)
        return evidence.work_email if evidence else "—"

    @admin.display(description="Banker's note")
    def evidence_note(self, obj: BankerProfile) -> str:
        evidence = self._evidence(obj)
        return evidence.note if evidence else "—"

    @admin.display(description="Last decision's reason")
    def evidence_decision_reason(self, obj: BankerProfile) -> str:
        evidence = self._evidence(obj)
        return evidence.decision_reason if evidence else "—"

    def verify_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The Verify button on the banker's page (POST only)."""
        profile = get_object_or_404(BankerProfile, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, profile):
            raise PermissionDenied
        services.banker_set_verification(
            banker_id=profile.user_id, status=VerificationStatus.VERIFIED, actor=request.user
        )
        messages.success(request, f"{profile.user} is verified and has been told.")
        return redirect("admin:accounts_bankerprofile_change", object_id)

    def reject_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The Reject button: asks for the reason the banker will read."""
        profile = get_object_or_404(BankerProfile, pk=object_id)
        if not self.has_change_permission(request, profile):
            raise PermissionDenied
        form = RejectBankerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.banker_set_verification(
                banker_id=profile.user_id,
                status=VerificationStatus.REJECTED,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"{profile.user} was not approved and has been told why.")
            return redirect("admin:accounts_bankerprofile_change", object_id)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "profile": profile,
            "title": "Reject banker",
        }
        return render(
            request, "admin/accounts/bankerprofile/reject.html", context, status=400 if form.errors else 200
        )

    @admin.action(description="Verify selected bankers")
    def verify_bankers(self, request: HttpRequest, queryset: QuerySet[BankerProfile]) -> None:
        _set_verification(request, queryset, VerificationStatus.VERIFIED)

    @admin.action(description="Reject selected bankers")
    def reject_bankers(self, request: HttpRequest, queryset: QuerySet[BankerProfile]) -> None:
        _set_verification(request, queryset, VerificationStatus.REJECTED)


@admin.register(TermsConsent)
class TermsConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "terms_version", "privacy_version", "accepted_at")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    readonly_fields = ("user", "terms_version", "privacy_version", "accepted_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
