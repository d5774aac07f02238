from django.contrib import admin

from .models import IdempotentRequest


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "method", "path", "status_code")
    search_fields = ("key", "user__email", "path")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in IdempotentRequest._meta.fields]
