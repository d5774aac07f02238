"""Admin: the queue itself is procrastinate's admin (jobs with their events,
filter by status, actions Retry, Cancel, Abort); sent reminders are listed here."""

from django.contrib import admin

from .models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "kind", "subject_id", "recipient")
    list_filter = ("kind",)
    search_fields = ("recipient__email",)
    list_select_related = ("recipient",)
    readonly_fields = ("kind", "subject_id", "recipient", "sent_at")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
