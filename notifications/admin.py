"""Admin: policies, deadlines with their reminders, and the outbox with failures first."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Deadline, Notification, Outbox, Preference, Reminder, ReminderPolicy
from .services import outbox_enqueue


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "days_before", "remind_on_due_day", "escalate_after_days", "repeat_every_days",
    ]
    list_select_related = ["agency"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_mode"]
    list_filter = ["email_mode"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class ReminderInline(admin.TabularInline):
    model = Reminder
    extra = 0
    readonly_fields = ["kind", "stage", "days_overdue", "created_at"]
    can_delete = False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = [
        "key", "notation", "title", "assignee", "due_at", "completed_at", "reminder_count",
        "next_check_at",
    ]
    list_filter = ["agency", ("completed_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "notation", "title"]
    raw_id_fields = ["assignee", "unit_head", "directed_by"]
    list_select_related = ["assignee"]
    inlines = [ReminderInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(reminder_total=Count("reminders"))

    @admin.display(description=_("reminders"), ordering="reminder_total")
    def reminder_count(self, obj):
        return obj.reminder_total


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to_email", "subject", "state", "attempts", "last_error"]
    list_filter = ["state", "kind", "agency"]
    search_fields = ["to_email", "subject", "key"]
    readonly_fields = ["sent_at", "claimed_at", "attempts", "last_error", "digest", "deadline"]
    raw_id_fields = ["recipient"]
    actions = ["retry"]

    @admin.action(description=_("Send again (failed e-mails)"))
    def retry(self, request, queryset):
        ids = list(
            queryset.filter(state=Outbox.State.FAILED).values_list("pk", flat=True)
        )
        Outbox.objects.filter(pk__in=ids).update(
            state=Outbox.State.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        outbox_enqueue(ids=ids)
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", len(ids))
            % {"n": len(ids)},
            messages.SUCCESS,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    raw_id_fields = ["recipient", "deadline"]
