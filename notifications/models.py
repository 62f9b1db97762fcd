"""Deadlines followed up by reminders (đôn đốc), the e-mail outbox and in-app notifications.

A `Deadline` is one tracked task, keyed by its caller ("assignment:42"). The sweep reads only
rows whose indexed `next_check_at` has come, writes the reminders due and moves
`next_check_at` to the next moment anything can happen. Every e-mail is an `Outbox` row
written in the same transaction as the event that caused it, unique per key and address, and
sent after commit by a Celery task that claims it first.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderPolicy(models.Model):
    """When to remind and escalate; the row without an agency is the default.

    Days are working days. Overdue alerts start on the first working day after the deadline
    and repeat every `repeat_every_days`; from `escalate_after_days` overdue they also go to
    the leader who directed the work.
    """

    agency = models.OneToOneField(
        "accounts.Agency", verbose_name=_("agency"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="reminder_policy",
        help_text=_("Empty: the default for every agency without its own policy."),
    )
    days_before = models.PositiveSmallIntegerField(
        _("remind days before"), default=1,
        help_text=_("Working days before the deadline to remind the assignee; 0: none."),
    )
    remind_on_due_day = models.BooleanField(
        _("remind on the morning of the deadline"), default=True
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after overdue days"), default=2, validators=[MinValueValidator(1)],
        help_text=_("Working days overdue after which the directing leader is alerted."),
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat overdue alerts every"), default=1, validators=[MinValueValidator(1)],
        help_text=_("Working days between two overdue alerts, until the work is done."),
    )

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [
            models.UniqueConstraint(
                models.Value(True), condition=models.Q(agency__isnull=True),
                name="reminder_policy_one_default",
            ),
            models.CheckConstraint(
                condition=models.Q(escalate_after_days__gte=1, repeat_every_days__gte=1),
                name="reminder_policy_positive_periods",
            ),
        ]

    def __str__(self):
        return str(self.agency or _("Default policy"))


class Preference(models.Model):
    """How a person wants their e-mails: one by one at once, or one digest at 07:30."""

    class EmailMode(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("Daily digest on working days")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("e-mails"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.get_email_mode_display()}"


class Deadline(models.Model):
    """One task with a deadline that reminders follow until it is closed.

    `key` is chosen by the caller ("assignment:42"). Reports read `due_at`/`completed_at`
    (on time or late) and the `reminders` (how many times someone had to be reminded).
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE,
        related_name="deadlines",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT,
        related_name="deadlines",
    )
    unit_head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("unit head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    directed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("directed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="directed_deadlines",
    )
    title = models.CharField(_("title"), max_length=500)
    notation = models.CharField(_("number and symbol"), max_length=100, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    due_at = models.DateTimeField(_("deadline"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "pk"]
        indexes = [
            # The sweep's only entry point: cost grows with due rows, not open ones.
            models.Index(
                fields=["next_check_at"], condition=models.Q(next_check_at__isnull=False),
                name="deadline_next_check",
            ),
            models.Index(fields=["agency", "due_at"], name="deadline_agency_due"),
            models.Index(
                fields=["directed_by", "due_at"],
                condition=models.Q(escalated_at__isnull=False, completed_at__isnull=True),
                name="deadline_open_escalations",
            ),
        ]

    def __str__(self):
        return f"{self.notation or self.key} – {self.title}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    @property
    def is_late(self) -> bool:
        """Completed after the deadline, or still open past it."""
        return (self.completed_at or timezone.now()) > self.due_at


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Reminder before the deadline")
    DUE_DAY = "due_day", _("Deadline today")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation to the directing leader")


class Reminder(models.Model):
    """One đôn đốc of a deadline: a stage of the policy that fired (whoever it went to)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    stage = models.CharField(
        _("stage"), max_length=40,
        help_text=_("The deadline's day and, when overdue, the working days overdue."),
    )
    days_overdue = models.PositiveSmallIntegerField(_("working days overdue"), default=0)
    created_at = models.DateTimeField(_("reminded at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "stage"], name="reminder_once_per_stage"
            ),
        ]

    def __str__(self):
        return f"{self.deadline}: {self.get_kind_display()} {self.stage}"


class Notification(models.Model):
    """An in-app notification (the bell); unread while `read_at` is empty."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # Every step settles its task's notices by key (`notifications_settle`), and an
            # issue prints its number into the notices of its key: without it both read the
            # whole table.
            models.Index(fields=["key"], name="notification_key"),
        ]

    def __str__(self):
        return self.title


class Outbox(models.Model):
    """One e-mail to one address, written with the event and sent after commit.

    Unique per (key, address): writing the same event twice is impossible. States move
    pending → sending (claimed by exactly one sender) → sent, or back to pending with a later
    `next_attempt_at` after an SMTP error, or failed after too many attempts. `held` rows wait
    for the recipient's daily digest and become `digested` when it is written. A pending or
    held row whose event needs nothing more (the task was taken or done) is `cancelled`: no
    sender and no digest picks it up, so nobody is mailed about work already done.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held for the daily digest")
        DIGESTED = "digested", _("Sent in a digest")
        CANCELLED = "cancelled", _("Cancelled: nothing left to do")

    key = models.CharField(_("key"), max_length=200)
    to_email = models.EmailField(_("to"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="emails",
    )
    kind = models.CharField(_("kind"), max_length=20)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # E-mails written in bulk (reminders, notices of new work) are rendered when sent, from
    # `template` and `context`: the event's transaction only stores their data.
    template = models.CharField(
        _("template"), max_length=40, blank=True,
        help_text=_("E-mail template rendered when sending, when the text is empty."),
    )
    context = models.JSONField(_("template data"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    attachment = models.CharField(
        _("attachment"), max_length=300, blank=True,
        help_text=_("Name of the file in the default storage."),
    )
    attachment_name = models.CharField(_("attachment file name"), max_length=255, blank=True)
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "to_email"], name="outbox_once_per_address"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(state="pending"),
                name="outbox_pending",
            ),
            models.Index(
                fields=["claimed_at"], condition=models.Q(state="sending"),
                name="outbox_sending",
            ),
            models.Index(
                fields=["recipient"], condition=models.Q(state="held"), name="outbox_held",
            ),
        ]

    def __str__(self):
        return f"{self.to_email}: {self.subject}"
