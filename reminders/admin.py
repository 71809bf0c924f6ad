"""Admin of the reminders: the support team keeps when reminders go out, and sees what was sent to whom."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarToken, Digest, Notice, Reminder, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "on_meeting_day", "overdue_for_weeks", "digest_hour", "weekly_digest_weekday"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """The sent-log is written by the sweep only: staff read it, nobody edits a row that was sent."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyLogAdmin):
    list_display = [
        "title",
        "occasion",
        "due",
        "recipient",
        "in_copy",
        "delivery",
        "created_at",
        "sent_at",
        "dropped_at",
        "failed_at",
        "attempts",
        "error",
    ]
    list_filter = [
        "kind",
        "delivery",
        "in_copy",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "obligation_key", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    @admin.display(description=_("last error"), ordering="last_error")
    def error(self, obj):
        return obj.last_error[:120]


@admin.register(Digest)
class DigestAdmin(ReadOnlyLogAdmin):
    list_display = ["recipient", "period", "period_start", "sent_at", "failed_at", "attempts", "last_error"]
    list_filter = ["period", ("failed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyLogAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyLogAdmin):
    list_display = ["person", "created_at", "revoked_at"]
    exclude = ["token"]
    list_select_related = ["person"]
