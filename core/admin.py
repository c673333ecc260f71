from django.contrib import admin

from .models import AuditEvent, HolidayOverride, Notification, OutgoingMail, StatusChange


class ReadOnlyMixin:
    """For admins and inlines of records nobody may add, change or delete, not even a
    superuser."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "actor_label", "action", "object_repr", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_repr", "note")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor", "content_type")


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "content_type", "object_id", "transition", "from_status",
                    "to_status", "actor")
    list_filter = ("content_type", "transition")
    list_select_related = ("actor", "content_type")


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "purpose", "title", "read_at")
    list_filter = ("purpose",)
    list_select_related = ("recipient",)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "to_address", "purpose", "subject", "status", "attempts")
    list_filter = ("status", "purpose")
